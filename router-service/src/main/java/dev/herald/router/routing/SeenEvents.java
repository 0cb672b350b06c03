package dev.herald.router.routing;

import java.time.Duration;
import java.util.HexFormat;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * What one router task remembers of the events it routed, to recognise a copy of one: the sender's ids within
 * {@code idWindow}, each with the body it came with, and, for events whose id Herald generated, the bodies' SHA-256
 * within {@code bodyWindow}. Both are window stores backed by changelog topics, written in the same Kafka transaction
 * as the output. Only copies that reach the same task meet here; the raw record's key sees to that.
 */
final class SeenEvents {

    /** What a raw record is, next to what was routed before it. */
    sealed interface Verdict {

        /** Nothing like it within the window: it is routed, and remembered. */
        record First() implements Verdict {
        }

        /** A copy of an event already routed, recognised by {@code matchedBy}: dropped. */
        record Copy(String matchedBy) implements Verdict {
        }

        /** The sender's id of an event already routed, with another body: the first wins, this one is dropped. */
        record IdReused(String firstBodySha256, String bodySha256) implements Verdict {
        }
    }

    private static final int SHA256_HEX_LENGTH = 64;

    private final WindowStore<String, String> bodiesById;
    private final Duration idWindow;
    private final WindowStore<String, Long> bodies;
    private final Duration bodyWindow;

    SeenEvents(WindowStore<String, String> bodiesById, Duration idWindow, WindowStore<String, Long> bodies,
            Duration bodyWindow) {
        this.bodiesById = bodiesById;
        this.idWindow = idWindow;
        this.bodies = bodies;
        this.bodyWindow = bodyWindow;
    }

    /**
     * @param senderId the id the sender chose, or {@code null} when Herald generated it (then the body is the event's
     *     identity)
     */
    Verdict check(String senderId, String bodySha256, long timestamp) {
        return senderId != null ? checkId(senderId, bodySha256, timestamp) : checkBody(bodySha256, timestamp);
    }

    private Verdict checkId(String senderId, String bodySha256, long timestamp) {
        try (WindowStoreIterator<String> seen = bodiesById.fetch(senderId, from(timestamp, idWindow), to(timestamp, idWindow))) {
            if (seen.hasNext()) {
                String first = seen.next().value;
                // Before the body was remembered with the id, the store held a timestamp: its body is unknown.
                return isSha256(first) && !first.equals(bodySha256)
                        ? new Verdict.IdReused(first, bodySha256)
                        : new Verdict.Copy(RoutingMetrics.BY_EVENT_ID);
            }
        }
        bodiesById.put(senderId, bodySha256, timestamp);
        return new Verdict.First();
    }

    private Verdict checkBody(String bodySha256, long timestamp) {
        try (WindowStoreIterator<Long> seen = bodies.fetch(bodySha256, from(timestamp, bodyWindow), to(timestamp, bodyWindow))) {
            if (seen.hasNext()) {
                return new Verdict.Copy(RoutingMetrics.BY_BODY);
            }
        }
        bodies.put(bodySha256, timestamp, timestamp);
        return new Verdict.First();
    }

    private static long from(long timestamp, Duration window) {
        return timestamp - window.toMillis();
    }

    private static long to(long timestamp, Duration window) {
        return timestamp + window.toMillis();
    }

    private static boolean isSha256(String value) {
        return value != null && value.length() == SHA256_HEX_LENGTH && value.chars().allMatch(HexFormat::isHexDigit);
    }
}
