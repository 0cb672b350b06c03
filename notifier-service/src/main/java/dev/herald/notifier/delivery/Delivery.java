package dev.herald.notifier.delivery;

import java.time.Instant;

/**
 * One event to one destination: the unit that is sent, retried and dead-lettered on its own, so a failing
 * destination never repeats a message another destination already got. Serialized as JSON on the retry and
 * dead-letter topics as a {@link DeliveryRecord}; {@code body} is the event's original JSON.
 *
 * @param id stable across attempts and redeliveries: the key of the sent ledger and of the email's Message-ID
 * @param attempt 1 for the first attempt
 * @param notBefore when the next attempt may start (retry topic only)
 * @param receivedAt the ingest's receive time ({@code ce_time}), for end-to-end latency
 */
public record Delivery(
        String id,
        String eventId,
        String type,
        Destination destination,
        int attempt,
        Instant notBefore,
        Instant receivedAt,
        String traceparent,
        String lastError,
        String body) {

    public static Delivery first(String eventId, String type, Destination destination, Instant receivedAt,
            String traceparent, String body) {
        return new Delivery(idOf(eventId, destination), eventId, type, destination, 1, Instant.EPOCH, receivedAt,
                traceparent, null, body);
    }

    public Delivery nextAttempt(Instant notBefore, String error) {
        return new Delivery(id, eventId, type, destination, attempt + 1, notBefore, receivedAt, traceparent, error, body);
    }

    public Delivery failed(String error) {
        return new Delivery(id, eventId, type, destination, attempt, notBefore, receivedAt, traceparent, error, body);
    }

    /** The event id, the channel, and a hash of the address (so the id carries no webhook URL). */
    static String idOf(String eventId, Destination destination) {
        return eventId + "/" + destination.channel() + "/" + destination.key();
    }

    @Override
    public String toString() {
        return "Delivery[" + id + " " + type + " → " + destination + ", attempt " + attempt + "]";
    }
}
