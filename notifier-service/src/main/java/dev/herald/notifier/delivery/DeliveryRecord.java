package dev.herald.notifier.delivery;

import dev.herald.events.DeliveryHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A {@link Delivery} as stored on the retry and dead-letter topics. A Slack webhook URL is a secret, so the record
 * names its destination by a key (a hash of channel and address) and a redacted label; the address itself is looked
 * up again in the routes file when the delivery is retried.
 */
public record DeliveryRecord(
        String id,
        String eventId,
        String type,
        String channel,
        String destinationKey,
        String destination,
        int attempt,
        Instant notBefore,
        Instant receivedAt,
        String traceparent,
        String lastError,
        String body) {

    public static DeliveryRecord of(Delivery delivery) {
        return new DeliveryRecord(delivery.id(), delivery.eventId(), delivery.type(), delivery.destination().channel(),
                delivery.destination().key(), delivery.destination().redacted(), delivery.attempt(),
                delivery.headers().notBefore(), delivery.receivedAt(), delivery.traceparent(), delivery.headers().error(),
                delivery.bodyText());
    }

    public DeliveryRecord withError(String error) {
        return new DeliveryRecord(id, eventId, type, channel, destinationKey, destination, attempt, notBefore, receivedAt,
                traceparent, error, body);
    }

    public Delivery toDelivery(Destination resolved) {
        return new Delivery(new DeliveryHeaders(id, eventId, type, null, channel, destinationKey, destination, attempt,
                notBefore, receivedAt, traceparent, lastError), resolved, body.getBytes(StandardCharsets.UTF_8));
    }
}
