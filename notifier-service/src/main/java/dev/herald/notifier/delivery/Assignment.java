package dev.herald.notifier.delivery;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One partition of the deliveries topic for as long as this pod owns it, from assignment to hand-over. A partition
 * given back and later given again is a new assignment: what the lanes and the writer finish for the old one is
 * ignored, so it can never mark a record of the new one done.
 */
final class Assignment {

    private final int partition;
    private final PartitionProgress progress;
    /** Attempts taken from the lanes (or settlements made on the poll thread) whose records are not written yet. */
    private final AtomicInteger unwritten = new AtomicInteger();
    private volatile boolean owned = true;

    Assignment(int partition, PartitionProgress progress) {
        this.partition = partition;
        this.progress = progress;
    }

    int partition() {
        return partition;
    }

    /** Read and written by the poll thread only. */
    PartitionProgress progress() {
        return progress;
    }

    boolean owned() {
        return owned;
    }

    /** No attempt may start for this assignment any more. */
    void release() {
        owned = false;
    }

    void taken() {
        unwritten.incrementAndGet();
    }

    void written() {
        unwritten.decrementAndGet();
    }

    int unwritten() {
        return unwritten.get();
    }
}
