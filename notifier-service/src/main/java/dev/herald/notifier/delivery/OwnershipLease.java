package dev.herald.notifier.delivery;

import java.time.Duration;

/**
 * The group coordinator's word that this pod still owns its deliveries partitions. A pod that stalls (a long GC
 * pause, a starved node, a frozen container) is evicted from the group after the session timeout, and its partitions
 * go to another pod, but it learns so only at its next poll: until then its sender threads would go on sending what
 * it holds, and the new owner sends the same deliveries again. So a send starts only while the lease holds.
 *
 * <p>The lease runs from the moment a commit was sent that the coordinator then accepted (it accepts commits only
 * from a current member of the current generation), or from an assignment, for the session timeout less one
 * heartbeat interval: the earliest the coordinator can have evicted this pod since. Written by the poll thread, read
 * by the sender threads.
 */
final class OwnershipLease {

    private final long lengthNanos;
    private volatile long validUntil;
    private volatile boolean renewed;

    OwnershipLease(Duration length) {
        this.lengthNanos = length.toNanos();
    }

    Duration length() {
        return Duration.ofNanos(lengthNanos);
    }

    /** The coordinator confirmed this pod as a member at {@code confirmedAtNanos} (or later). */
    void renewFrom(long confirmedAtNanos) {
        long until = confirmedAtNanos + lengthNanos;
        if (!renewed || until - validUntil > 0) {
            validUntil = until;
            renewed = true;
        }
    }

    boolean holds(long nowNanos) {
        return renewed && validUntil - nowNanos > 0;
    }

    /** Half of the lease is gone: time to ask the coordinator again, even with no progress to commit. */
    boolean dueForRenewal(long nowNanos) {
        return !renewed || validUntil - nowNanos < lengthNanos / 2;
    }
}
