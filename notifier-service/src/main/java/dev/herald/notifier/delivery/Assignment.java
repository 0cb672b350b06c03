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
    private volatile boolean lost;

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

    /** No attempt may start for this assignment any more; those in flight are still written (a hand-over). */
    void release() {
        owned = false;
    }

    /**
     * The group moved on without this pod (it was evicted): another pod may be sending these deliveries already, so
     * nothing more is written for them either.
     */
    void lose() {
        lost = true;
        owned = false;
    }

    boolean lost() {
        return lost;
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
