package dev.herald.notifier.delivery;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One owned deliveries partition: which of the records read are done, so the committed offset moves only past
 * records that are done (deliveries finish out of order, one lane per destination); and what the previous owner had
 * already done beyond the committed offset (its done marks), so a record read again is not sent again.
 *
 * <p>A record may also be <em>left in Kafka</em> ({@link #leave}): not done, its body not kept, read again later
 * when its destination has room (see {@code DeliveryStage}).
 *
 * <p>Bounded by the partition's uncommitted range, not by its traffic: entries below the committed offset go.
 */
final class PartitionProgress {

    private static final long NOT_DONE = -1;
    private static final long LEFT_IN_KAFKA = -2;

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
    /** Records left in Kafka ({@link #LEFT_IN_KAFKA} in {@link #read}), to be read again: not done, not in memory. */
    private int leftCount;

    PartitionProgress(long committed, long marksFrom, Map<Long, String> doneBefore) {
        this.committed = committed;
        this.marksFrom = marksFrom;
        this.doneBefore = new TreeMap<>(doneBefore);
    }

    /** True when an earlier owner already finished this record (sent, folded, retried or dead-lettered it). */
    boolean doneBefore(long offset) {
        return doneBefore.containsKey(offset);
    }

    /** How many records in [{@code from}, {@code to}) an earlier owner marked done. */
    int doneBeforeBetween(long from, long to) {
        return from >= to ? 0 : doneBefore.subMap(from, true, to, false).size();
    }

    void read(long offset, int bytes) {
        read.put(offset, NOT_DONE);
        pendingBytes += bytes;
        pendingCount++;
    }

    /** True when this record was read before (it is in memory, done, or left in Kafka): a second reading of it. */
    boolean known(long offset) {
        return read.containsKey(offset);
    }

    /** Read, but not kept: its destination has no room. It is not done, so the committed offset stays before it. */
    void leave(long offset) {
        if (read.put(offset, LEFT_IN_KAFKA) == null) {
            pendingCount++;
            leftCount++;
        }
    }

    boolean isLeft(long offset) {
        Long state = read.get(offset);
        return state != null && state == LEFT_IN_KAFKA;
    }

    /** A record left in Kafka is read again and kept now. */
    void readAgain(long offset, int bytes) {
        if (isLeft(offset)) {
            read.put(offset, NOT_DONE);
            pendingBytes += bytes;
            leftCount--;
        }
    }

    /**
     * A record left in Kafka that the topic's retention deleted before it was read again: not done, nothing of it in
     * memory, until its dead letter and done mark are written.
     */
    void deletedWhileLeft(long offset) {
        readAgain(offset, 0);
    }

    /** Some records are left in Kafka (each destination knows where its own are). */
    boolean hasLeft() {
        return leftCount > 0;
    }

    /** Deliveries held in memory: read, not done, not left in Kafka. */
    int heldCount() {
        return pendingCount - leftCount;
    }

    /** A record needing no work (done before): done at once, with no mark of its own. */
    void skipped(long offset) {
        read.put(offset, Long.MAX_VALUE);
    }

    void done(long offset, int bytes, long markOffset) {
        Long before = read.get(offset);
        if (before != null && before == NOT_DONE) {
            read.put(offset, markOffset);
            pendingBytes -= bytes;
            pendingCount--;
            if (markOffset != Long.MAX_VALUE) { // done without a mark of its own
                lastMark = Math.max(lastMark, markOffset);
            }
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
            if (entry.getValue() == NOT_DONE || entry.getValue() == LEFT_IN_KAFKA) {
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
            if (mark >= 0 && mark != Long.MAX_VALUE) {
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
