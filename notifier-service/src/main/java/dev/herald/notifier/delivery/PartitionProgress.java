package dev.herald.notifier.delivery;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One owned deliveries partition: which of the records read are done, so the committed offset moves only past
 * records that are done (deliveries finish out of order, one lane per destination); and what the previous owner had
 * already done beyond the committed offset (its done marks), so a record read again is not sent again.
 *
 * <p>Bounded by the partition's uncommitted range, not by its traffic: entries below the committed offset go.
 */
final class PartitionProgress {

    private static final long NOT_DONE = -1;

    /** Offsets read and not yet committed → the done mark's offset on the done topic, or {@link #NOT_DONE}. */
    private final NavigableMap<Long, Long> read = new TreeMap<>();
    /** Offsets at or after the committed one that an earlier owner marked done. */
    private final NavigableMap<Long, String> doneBefore;
    /** Where on the done partition the marks of records at or after the committed offset start. */
    private long marksFrom;
    private long lastMark = -1;
    private long committed;
    private long pendingBytes;
    private int pendingCount;

    PartitionProgress(long committed, long marksFrom, Map<Long, String> doneBefore) {
        this.committed = committed;
        this.marksFrom = marksFrom;
        this.doneBefore = new TreeMap<>(doneBefore);
    }

    /** True when an earlier owner already finished this record (sent, folded, retried or dead-lettered it). */
    boolean doneBefore(long offset) {
        return doneBefore.containsKey(offset);
    }

    void read(long offset, int bytes) {
        read.put(offset, NOT_DONE);
        pendingBytes += bytes;
        pendingCount++;
    }

    /** A record needing no work (done before): done at once, with no mark of its own. */
    void skipped(long offset) {
        read.put(offset, Long.MAX_VALUE);
    }

    void done(long offset, int bytes, long markOffset) {
        if (read.replace(offset, markOffset) != null) {
            pendingBytes -= bytes;
            pendingCount--;
            lastMark = Math.max(lastMark, markOffset);
        }
    }

    long pendingBytes() {
        return pendingBytes;
    }

    int pendingCount() {
        return pendingCount;
    }

    /** Records read and not committed yet, done or not: what a next owner would read marks for. */
    int uncommitted() {
        return read.size();
    }

    /**
     * The offset to commit: the first record not done, or {@code position} when every record read is done (past the
     * transaction markers, so a caught-up group shows a lag of 0). Forgets what is below it.
     */
    long advance(long position) {
        Long firstNotDone = null;
        for (Map.Entry<Long, Long> entry : read.entrySet()) {
            if (entry.getValue() == NOT_DONE) {
                firstNotDone = entry.getKey();
                break;
            }
        }
        long next = firstNotDone != null ? firstNotDone : Math.max(position, read.isEmpty() ? committed : read.lastKey() + 1);
        read.headMap(next, false).clear();
        doneBefore.headMap(next, false).clear();
        // The marks that still matter are those of done records at or after the new committed offset.
        long from = Long.MAX_VALUE;
        for (long mark : read.values()) {
            if (mark != NOT_DONE && mark != Long.MAX_VALUE) {
                from = Math.min(from, mark);
            }
        }
        if (from == Long.MAX_VALUE && doneBefore.isEmpty()) {
            from = lastMark >= 0 ? lastMark + 1 : marksFrom;
        } else if (from == Long.MAX_VALUE || !doneBefore.isEmpty()) {
            from = Math.min(from, marksFrom);
        }
        marksFrom = from;
        committed = next;
        return next;
    }

    long committed() {
        return committed;
    }

    /** Stored with the committed offset: where the next owner starts reading the done marks. */
    String metadata() {
        return DoneMarks.METADATA_PREFIX + marksFrom;
    }
}
