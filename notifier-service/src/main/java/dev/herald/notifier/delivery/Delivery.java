package dev.herald.notifier.delivery;

import dev.herald.events.DeliveryHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One event to one destination: the unit that is paced, sent, retried and dead-lettered on its own, so a failing
 * destination never repeats a message another destination already got. Stored on the deliveries topic as the event's
 * body with {@link DeliveryHeaders}; the destination's address is looked up in the routes file by its key.
 */
public record Delivery(DeliveryHeaders headers, Destination destination, byte[] body) {

    /** The first attempt of {@code eventId} to {@code destination}, sent by {@code route}. */
    public static Delivery first(String eventId, String type, String route, Destination destination, Instant receivedAt,
            String traceparent, byte[] body) {
        return new Delivery(new DeliveryHeaders(idOf(eventId, destination), eventId, type, route, destination.channel(),
                destination.key(), destination.redacted(), 1, Instant.EPOCH, receivedAt, traceparent, null),
                destination, body);
    }

    /** Stable across attempts and redeliveries: the event id, the channel, and a hash of the address. */
    public static String idOf(String eventId, Destination destination) {
        return eventId + "/" + destination.channel() + "/" + destination.key();
    }

    public String id() {
        return headers.deliveryId();
    }

    public String eventId() {
        return headers.eventId();
    }

    public String type() {
        return headers.type();
    }

    public String route() {
        return headers.route();
    }

    public int attempt() {
        return headers.attempt();
    }

    public Instant receivedAt() {
        return headers.receivedAt();
    }

    public String traceparent() {
        return headers.traceparent();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Delivery[" + id() + " " + type() + " → " + destination + ", attempt " + attempt() + "]";
    }
}
