package dev.herald.notifier.delivery;

/**
 * Holds one destination to its channel's {@link Pace}. It never sleeps: it says how long until the next message may
 * go, and the destination's lane sets a timer for that.
 */
final class TokenBucket {

    private final Pace pace;
    private double tokens;
    private long refilledAt;

    TokenBucket(Pace pace, long nowNanos) {
        this.pace = pace;
        // One token, not a full burst: a pod that just took a destination over does not know what its previous
        // owner sent in the last second.
        this.tokens = pace.unlimited() ? 0 : 1;
        this.refilledAt = nowNanos;
    }

    /** Nanoseconds until a message may go; 0 when one may go now. */
    long waitNanos(long nowNanos) {
        if (pace.unlimited()) {
            return 0;
        }
        refill(nowNanos);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / pace.perSecond() * 1e9);
    }

    void take(long nowNanos) {
        if (pace.unlimited()) {
            return;
        }
        refill(nowNanos);
        tokens -= 1;
    }

    private void refill(long nowNanos) {
        tokens = Math.min(pace.burst(), tokens + (nowNanos - refilledAt) / 1e9 * pace.perSecond());
        refilledAt = nowNanos;
    }
}
