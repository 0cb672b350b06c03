package dev.herald.router.routing;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * At most how many bytes a record takes in a batch of its own on the wire: Kafka's record format, each length a
 * variable-length integer of at most 5 bytes.
 */
final class RecordBytes {

    /** A batch's header (61 bytes) and a record's own fields: length, attributes, time and offset deltas, lengths. */
    static final int RECORD_OVERHEAD = 61 + 21;
    /** A header's key length and value length. */
    static final int HEADER_OVERHEAD = 10;

    private RecordBytes() {
    }

    static long of(String key, byte[] value, Headers headers) {
        // UTF-8 takes at most 3 bytes per UTF-16 unit: an upper bound, without encoding anything.
        long bytes = RECORD_OVERHEAD + (key == null ? 0 : 3L * key.length()) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            // Counted per header, so that a million empty headers count as what they cost.
            bytes += HEADER_OVERHEAD + 3L * header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }
}
