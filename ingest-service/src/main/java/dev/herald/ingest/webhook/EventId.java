package dev.herald.ingest.webhook;

import dev.herald.events.EventHeaders;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;

/**
 * An event's id: the sender's {@code webhook-id} or {@code Idempotency-Key} when it gave one (so its retries share
 * the id and are deduplicated downstream), else a new time-ordered UUIDv7.
 */
record EventId(String value, String source) {

    /** Long enough for any UUID, ULID or vendor id; short enough to be a sane Kafka key. */
    static final int MAX_LENGTH = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    boolean fromSender() {
        return EventHeaders.ID_FROM_SENDER.equals(source);
    }

    /**
     * The id a request names, if any; {@code webhook-id} wins over {@code Idempotency-Key}.
     *
     * @throws IllegalArgumentException when the id is too long or contains anything but visible ASCII
     */
    static Optional<EventId> fromHeaders(String webhookId, String idempotencyKey) {
        String id = webhookId != null && !webhookId.isBlank() ? webhookId.trim()
                : idempotencyKey != null && !idempotencyKey.isBlank() ? idempotencyKey.trim() : null;
        if (id == null) {
            return Optional.empty();
        }
        if (id.length() > MAX_LENGTH || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the event id in webhook-id or Idempotency-Key must be 1 to "
                    + MAX_LENGTH + " visible ASCII characters");
        }
        return Optional.of(new EventId(id, EventHeaders.ID_FROM_SENDER));
    }

    static EventId generated() {
        return new EventId(uuidV7(System.currentTimeMillis()).toString(), EventHeaders.ID_GENERATED);
    }

    /** RFC 9562 version 7: 48 bits of Unix milliseconds, then random bits, so ids sort by creation time. */
    static UUID uuidV7(long epochMillis) {
        long random = RANDOM.nextLong();
        long high = (epochMillis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long low = (random & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
