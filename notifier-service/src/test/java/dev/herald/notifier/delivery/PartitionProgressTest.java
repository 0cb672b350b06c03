package dev.herald.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed offset moves only past records that are done, and the next owner is told where the marks start. */
class PartitionProgressTest {

    @Test
    void commitsUpToTheFirstRecordNotDone() {
        PartitionProgress progress = new PartitionProgress(10, 0, Map.of());
        for (long offset = 10; offset < 15; offset++) {
            progress.read(offset, 100);
        }
        progress.done(11, 100, 500);
        progress.done(12, 100, 501);
        assertThat(progress.advance(15)).isEqualTo(10);
        progress.done(10, 100, 502);
        assertThat(progress.advance(15)).isEqualTo(13);
        assertThat(progress.pendingCount()).isEqualTo(2);
        assertThat(progress.pendingBytes()).isEqualTo(200);
        progress.done(13, 100, 503);
        progress.done(14, 100, 504);
        // Everything read is done: the position (past transaction markers) is committed.
        assertThat(progress.advance(16)).isEqualTo(16);
        assertThat(progress.metadata()).isEqualTo(DoneMarks.METADATA_PREFIX + 505);
    }

    @Test
    void theMarksOfDoneRecordsBeyondTheCommitStayFindable() {
        PartitionProgress progress = new PartitionProgress(0, 40, Map.of());
        progress.read(0, 1);
        progress.read(1, 1);
        progress.done(1, 1, 70);
        assertThat(progress.advance(2)).isZero();
        assertThat(progress.metadata()).isEqualTo(DoneMarks.METADATA_PREFIX + 70);
    }

    @Test
    void recordsAnEarlierOwnerFinishedAreKnownAndForgottenOnceCommitted() {
        PartitionProgress progress = new PartitionProgress(5, 30, Map.of(6L, "sent", 8L, "retried"));
        assertThat(progress.doneBefore(6)).isTrue();
        assertThat(progress.doneBefore(7)).isFalse();
        progress.read(5, 1);
        progress.skipped(6);
        progress.read(7, 1);
        progress.done(5, 1, 31);
        assertThat(progress.advance(8)).isEqualTo(7);
        // Mark of offset 8 (read from 30 on) is still needed.
        assertThat(progress.metadata()).isEqualTo(DoneMarks.METADATA_PREFIX + 30);
        progress.done(7, 1, 32);
        progress.skipped(8);
        assertThat(progress.advance(9)).isEqualTo(9);
        assertThat(progress.doneBefore(8)).isFalse();
        assertThat(progress.metadata()).isEqualTo(DoneMarks.METADATA_PREFIX + 33);
    }

    @Test
    void aDeliveryLeftInKafkaHoldsTheCommitUntilItIsReadAgainAndDone() {
        PartitionProgress progress = new PartitionProgress(0, 0, Map.of());
        progress.read(0, 10);
        progress.leave(1);
        progress.read(2, 10);
        assertThat(progress.heldCount()).as("in memory: 0 and 2").isEqualTo(2);
        assertThat(progress.pendingCount()).as("not done: 0, 1 and 2").isEqualTo(3);
        assertThat(progress.hasLeft()).isTrue();
        progress.done(0, 10, 100);
        progress.done(2, 10, 101);
        assertThat(progress.advance(3)).as("1 is not done").isEqualTo(1);
        assertThat(progress.metadata()).as("the mark of 2 is still needed").isEqualTo(DoneMarks.METADATA_PREFIX + 101);

        assertThat(progress.known(1)).isTrue();
        assertThat(progress.isLeft(1)).isTrue();
        assertThat(progress.known(2)).as("read before, done").isTrue();
        assertThat(progress.isLeft(2)).isFalse();
        progress.leave(1);
        assertThat(progress.pendingCount()).as("left again, still one").isEqualTo(1);
        progress.readAgain(1, 10);
        assertThat(progress.hasLeft()).isFalse();
        assertThat(progress.heldCount()).isEqualTo(1);
        progress.done(1, 10, 102);
        assertThat(progress.advance(3)).isEqualTo(3);
        assertThat(progress.pendingBytes()).isZero();
        assertThat(progress.pendingCount()).isZero();
    }

    @Test
    void aRecordDoneWithoutAMarkMovesTheCommitAndLeavesWhereTheMarksStartAlone() {
        PartitionProgress progress = new PartitionProgress(0, 40, Map.of());
        progress.read(0, 1);
        progress.read(1, 1);
        progress.done(0, 1, 41);
        progress.done(1, 1, Long.MAX_VALUE); // Kafka refused even its mark
        assertThat(progress.advance(2)).isEqualTo(2);
        assertThat(progress.metadata()).isEqualTo(DoneMarks.METADATA_PREFIX + 42);
    }
}
