package dev.herald.router.routing;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** How many bytes a record's key, value and headers take at most on the wire, before the batch's framing. */
final class RecordBytes {

    private RecordBytes() {
    }

    static long of(String key, byte[] value, Headers headers) {
        // A key's UTF-8 form takes at most 3 bytes per UTF-16 unit: an upper bound, without encoding it.
        long bytes = (key == null ? 0 : 3L * key.length()) + (value == null ? 0 : value.length);
        for (Header header : headers) {
            bytes += 3L * header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }
}
