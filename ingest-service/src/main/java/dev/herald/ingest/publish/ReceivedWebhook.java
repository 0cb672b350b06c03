package dev.herald.ingest.publish;

import java.time.Instant;

/**
 * An accepted webhook, ready for the raw topic: the body exactly as received and what the ingest learned about it.
 *
 * @param id the event id, from the sender or generated
 * @param idSource {@code sender} or {@code generated}
 * @param key the record key: the event's single account id, else the sender's id, else the body's hash, so that a
 *     retry lands on its original's partition
 * @param bodySha256 hex SHA-256 of the body, the router's deduplication key for generated ids
 */
public record ReceivedWebhook(
        String id,
        String idSource,
        String type,
        String key,
        Instant receivedAt,
        String traceparent,
        String bodySha256,
        byte[] body) {
}
