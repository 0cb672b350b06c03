package dev.herald.ingest.webhook;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The W3C {@code traceparent} put on the raw record: a child of the sender's trace when the request carried a
 * valid one, else the root of a new trace, so one trace id follows the event from ingest to delivery.
 */
final class TraceParent {

    private static final Pattern VALID = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private TraceParent() {
    }

    static String childOf(String incoming) {
        if (incoming != null) {
            var match = VALID.matcher(incoming.trim());
            if (match.matches() && !match.group(1).equals(ZERO_TRACE)) {
                return "00-" + match.group(1) + "-" + randomHex(8) + "-" + match.group(3);
            }
        }
        return "00-" + randomHex(16) + "-" + randomHex(8) + "-01";
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HEX.formatHex(random);
    }
}
