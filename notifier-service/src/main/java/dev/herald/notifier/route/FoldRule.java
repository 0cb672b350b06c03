package dev.herald.notifier.route;

import java.time.Duration;

/**
 * A route's {@code fold: {after: 5, within: 30s}}: when more than {@code after} events of one type for the same
 * destination arrive within {@code within}, the engine sends them as one message that sums them all up.
 */
public record FoldRule(int after, Duration within) {

    /** A longer window would hold messages back for longer than anyone waits for an alert. */
    public static final Duration MAX_WITHIN = Duration.ofHours(1);

    public FoldRule {
        if (after < 1) {
            throw new IllegalArgumentException("after must be at least 1, was " + after);
        }
        if (within == null || within.isNegative() || within.isZero() || within.compareTo(MAX_WITHIN) > 0) {
            throw new IllegalArgumentException("within must be more than 0 and at most 1h, was " + within);
        }
    }
}
