package dev.herald.notifier.delivery;

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
                delivery.destination().key(), delivery.destination().redacted(), delivery.attempt(), delivery.notBefore(),
                delivery.receivedAt(), delivery.traceparent(), delivery.lastError(), delivery.body());
    }

    public DeliveryRecord withError(String error) {
        return new DeliveryRecord(id, eventId, type, channel, destinationKey, destination, attempt, notBefore, receivedAt,
                traceparent, error, body);
    }

    public Delivery toDelivery(Destination resolved) {
        return new Delivery(id, eventId, type, resolved, attempt, notBefore, receivedAt, traceparent, lastError, body);
    }
}
