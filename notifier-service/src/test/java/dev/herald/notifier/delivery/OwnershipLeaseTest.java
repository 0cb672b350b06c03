package dev.herald.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OwnershipLeaseTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void holdsFromAConfirmationForItsLengthAndNeverBeforeTheFirst() {
        OwnershipLease lease = new OwnershipLease(Duration.ofSeconds(4));
        long t = 1_000 * SECOND;

        assertThat(lease.holds(t)).as("no confirmation yet").isFalse();
        assertThat(lease.dueForRenewal(t)).isTrue();

        lease.renewFrom(t);
        assertThat(lease.holds(t + 3 * SECOND)).isTrue();
        assertThat(lease.dueForRenewal(t + SECOND)).as("three quarters left").isFalse();
        assertThat(lease.dueForRenewal(t + 3 * SECOND)).as("a quarter left").isTrue();
        assertThat(lease.holds(t + 4 * SECOND)).as("a pod frozen past it starts nothing").isFalse();
    }

    @Test
    void aLateAnswerToAnOlderCommitNeverShortensIt() {
        OwnershipLease lease = new OwnershipLease(Duration.ofSeconds(4));
        long t = 1_000 * SECOND;
        lease.renewFrom(t + 2 * SECOND);
        lease.renewFrom(t);

        assertThat(lease.holds(t + 5 * SECOND)).isTrue();
    }
}
