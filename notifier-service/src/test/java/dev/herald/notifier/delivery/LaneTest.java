package dev.herald.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.DeliveryHeaders;
import dev.herald.events.TrialPeriodEnded;
import dev.herald.events.UniskaiEvent;
import dev.herald.events.WebhookParser;
import dev.herald.events.ParseOutcome;
import dev.herald.notifier.route.FoldRule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One destination's lane: order, pace, holds, retries that wait aside, folding, and nothing sent once closed. */
class LaneTest {

    private static final Assignment ASSIGNMENT = new Assignment(0, new PartitionProgress(0, 0, java.util.Map.of()));

    private final ExecutorService senders = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final Destination destination = new Destination("slack", "https://hooks.example/x", "https://hooks.example/…");

    @AfterEach
    void stop() {
        senders.shutdownNow();
        timers.shutdownNow();
    }

    /** Records every attempt with its time and answers what {@code answer} says. */
    private static final class RecordingOwner implements Lane.Owner {
        final List<List<Pending>> attempts = new CopyOnWriteArrayList<>();
        final List<Long> times = new CopyOnWriteArrayList<>();
        final List<Settlement> settled = new CopyOnWriteArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        volatile Duration hold = Duration.ZERO;
        volatile int maxInFlight;
        /** The attempt of this offset throws, as a fault inside Herald would. */
        volatile long faultyOffset = -1;

        @Override
        public void taken(List<Pending> items) {
        }

        @Override
        public boolean mayStart(Assignment assignment) {
            return true;
        }

        final List<Pending> abandoned = new CopyOnWriteArrayList<>();
        volatile boolean deadLetterFails;

        @Override
        public void abandoned(List<Pending> items) {
            abandoned.addAll(items);
        }

        @Override
        public Settlement attempt(List<Pending> items) {
            if (items.get(0).offset() == faultyOffset) {
                throw new ArithmeticException("long overflow");
            }
            int now = inFlight.incrementAndGet();
            maxInFlight = Math.max(maxInFlight, now);
            attempts.add(items);
            times.add(System.nanoTime());
            inFlight.decrementAndGet();
            return new Settlement(items, Collections.nCopies(items.size(), null), List.of(), hold);
        }

        @Override
        public Settlement failed(List<Pending> items, Throwable fault) {
            faults.add(fault);
            if (deadLetterFails) {
                throw new IllegalStateException("no dead letter either");
            }
            return new Settlement(items, Collections.nCopies(items.size(), null), List.of(), Duration.ZERO);
        }

        final List<Throwable> faults = new CopyOnWriteArrayList<>();

        /** Written at once, unless the test holds the writes back. */
        volatile boolean holdWrites;
        final List<Runnable> heldWrites = new CopyOnWriteArrayList<>();

        @Override
        public void settled(Settlement settlement, Runnable written) {
            settled.add(settlement);
            if (holdWrites) {
                heldWrites.add(written);
            } else {
                written.run();
            }
        }

        List<Long> offsets() {
            return attempts.stream().flatMap(List::stream).map(Pending::offset).toList();
        }
    }

    @Test
    void sendsOneAtATimeInTheOrderRead() {
        RecordingOwner owner = new RecordingOwner();
        Lane lane = new Lane(0, Pace.UNLIMITED, owner, senders, timers);
        for (long offset = 0; offset < 200; offset++) {
            lane.add(pending(offset, Instant.EPOCH, Optional.empty()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> owner.settled.size() == 200);
        assertThat(owner.offsets()).isSorted().hasSize(200);
        assertThat(owner.maxInFlight).isEqualTo(1);
    }

    @Test
    void anAttemptThatFailsInsideHeraldIsSettledAndTheLaneGoesOn() {
        RecordingOwner owner = new RecordingOwner();
        owner.faultyOffset = 1;
        Lane lane = new Lane(0, Pace.UNLIMITED, owner, senders, timers);
        for (long offset = 0; offset < 3; offset++) {
            lane.add(pending(offset, Instant.EPOCH, Optional.empty()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> owner.settled.size() == 3);
        assertThat(owner.faults).singleElement().isInstanceOf(ArithmeticException.class);
        assertThat(owner.offsets()).as("attempted and answered").containsExactly(0L, 2L);
        assertThat(owner.settled).extracting(settlement -> settlement.items().get(0).offset()).containsExactly(0L, 1L, 2L);
        await().atMost(Duration.ofSeconds(10)).until(lane::isIdle);
    }

    @Test
    void anAttemptThatCannotEvenBeDeadLetteredIsLeftNotDoneAndTheLaneGoesOn() {
        RecordingOwner owner = new RecordingOwner();
        owner.faultyOffset = 1;
        owner.deadLetterFails = true;
        Lane lane = new Lane(0, Pace.UNLIMITED, owner, senders, timers);
        for (long offset = 0; offset < 3; offset++) {
            lane.add(pending(offset, Instant.EPOCH, Optional.empty()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> owner.settled.size() == 2);
        assertThat(owner.offsets()).containsExactly(0L, 2L);
        assertThat(owner.abandoned).extracting(Pending::offset).containsExactly(1L);
        await().atMost(Duration.ofSeconds(10)).until(lane::isIdle);
    }

    @Test
    void sendsNoMoreThanItsInFlightLimitBeforeTheDoneMarksAreWritten() {
        RecordingOwner owner = new RecordingOwner();
        owner.holdWrites = true;
        Lane lane = new Lane(0, Pace.unlimited(2), owner, senders, timers);
        for (long offset = 0; offset < 10; offset++) {
            lane.add(pending(offset, Instant.EPOCH, Optional.empty()));
        }
        // Two sent; the third waits for a done mark, however long, without a thread waiting for it.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> owner.attempts.size() == 2);
        owner.heldWrites.remove(0).run();
        await().atMost(Duration.ofSeconds(3)).until(() -> owner.attempts.size() == 3);
        owner.holdWrites = false;
        owner.heldWrites.forEach(Runnable::run);
        await().atMost(Duration.ofSeconds(3)).until(() -> owner.attempts.size() == 10);
    }

    @Test
    void keepsTheDestinationToItsPaceWithoutHoldingAThread() {
        RecordingOwner owner = new RecordingOwner();
        Lane lane = new Lane(0, new Pace(10, 2), owner, senders, timers);
        for (long offset = 0; offset < 12; offset++) {
            lane.add(pending(offset, Instant.EPOCH, Optional.empty()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> owner.settled.size() == 12);
        // A burst of 2, then 10 more at 10 a second: at least 0.9 s from the first to the last.
        assertThat(Duration.ofNanos(owner.times.get(11) - owner.times.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aHeldDestinationWaitsWhileAnotherLaneGoesOn() {
        RecordingOwner held = new RecordingOwner();
        held.hold = Duration.ofSeconds(30);
        RecordingOwner free = new RecordingOwner();
        Lane slow = new Lane(0, Pace.UNLIMITED, held, senders, timers);
        Lane fast = new Lane(0, Pace.UNLIMITED, free, senders, timers);
        slow.add(pending(0, Instant.EPOCH, Optional.empty()));
        slow.add(pending(1, Instant.EPOCH, Optional.empty()));
        for (long offset = 2; offset < 50; offset++) {
            fast.add(pending(offset, Instant.EPOCH, Optional.empty()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> free.settled.size() == 48);
        assertThat(held.attempts).hasSize(1);
    }

    @Test
    void aRetryNotYetDueWaitsAsideWithoutHoldingBackTheDeliveriesBehindIt() {
        RecordingOwner owner = new RecordingOwner();
        Lane lane = new Lane(0, Pace.UNLIMITED, owner, senders, timers);
        lane.add(pending(0, Instant.now().plusMillis(700), Optional.empty()));
        lane.add(pending(1, Instant.EPOCH, Optional.empty()));
        lane.add(pending(2, Instant.EPOCH, Optional.empty()));
        await().atMost(Duration.ofSeconds(5)).until(() -> owner.settled.size() == 3);
        assertThat(owner.offsets()).containsExactly(1L, 2L, 0L);
    }

    @Test
    void foldsABurstIntoOneMessageAfterTheFirstFew() {
        RecordingOwner owner = new RecordingOwner();
        Lane lane = new Lane(0, Pace.UNLIMITED, owner, senders, timers);
        Optional<FoldRule> fold = Optional.of(new FoldRule(3, Duration.ofMillis(500)));
        for (long offset = 0; offset < 40; offset++) {
            lane.add(pending(offset, Instant.EPOCH, fold));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> owner.offsets().size() == 40);
        List<Integer> sizes = owner.attempts.stream().map(List::size).toList();
        assertThat(sizes.stream().filter(size -> size > 1).count()).as("folded messages in %s", sizes).isGreaterThanOrEqualTo(1);
        assertThat(owner.attempts.size()).as("messages for 40 deliveries: %s", sizes).isLessThanOrEqualTo(5);
        assertThat(owner.offsets()).containsExactlyInAnyOrderElementsOf(range(40));
    }

    @Test
    void aFoldThatComesDueWhileTheDestinationMustWaitGoesOnceItMay() {
        RecordingOwner owner = new RecordingOwner();
        Lane lane = new Lane(0, new Pace(2, 1), owner, senders, timers);
        Optional<FoldRule> fold = Optional.of(new FoldRule(1, Duration.ofMillis(200)));
        for (long offset = 0; offset < 20; offset++) {
            lane.add(pending(offset, Instant.EPOCH, fold));
        }
        // Paced at 2 a second: the first goes alone, the rest is gathered and must wait for the pace, not be lost.
        await().atMost(Duration.ofSeconds(10)).until(() -> owner.offsets().size() == 20);
        assertThat(owner.offsets()).containsExactlyInAnyOrderElementsOf(range(20));
        assertThat(owner.attempts.size()).isLessThanOrEqualTo(4);
    }

    @Test
    void nothingTakenIsSentOnceThePartitionIsNoLongerOwned() {
        RecordingOwner owner = new RecordingOwner();
        Assignment leaving = new Assignment(0, new PartitionProgress(0, 0, java.util.Map.of()));
        leaving.release();
        Lane lane = new Lane(0, Pace.UNLIMITED, owner, senders, timers);
        byte[] body = "{\"type\":\"trial-period-ended\",\"accounts\":[{\"account_name\":\"A\",\"account_id\":\"1\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        Pending item = pending(0, Instant.EPOCH, Optional.empty());
        lane.add(new Pending(leaving, 0, item.delivery(), item.event(), Optional.empty(), body.length, Instant.EPOCH));
        lane.add(pending(1, Instant.EPOCH, Optional.empty()));
        await().atMost(Duration.ofSeconds(3)).until(() -> owner.settled.size() == 1);
        assertThat(owner.offsets()).containsExactly(1L);
    }

    @Test
    void withoutFoldEveryDeliveryIsItsOwnMessage() {
        RecordingOwner owner = new RecordingOwner();
        Lane lane = new Lane(0, Pace.UNLIMITED, owner, senders, timers);
        for (long offset = 0; offset < 40; offset++) {
            lane.add(pending(offset, Instant.EPOCH, Optional.empty()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> owner.settled.size() == 40);
        assertThat(owner.attempts).allMatch(items -> items.size() == 1);
    }

    @Test
    void sendsNothingOnceClosed() throws InterruptedException {
        RecordingOwner owner = new RecordingOwner();
        Lane lane = new Lane(0, new Pace(1, 1), owner, senders, timers);
        for (long offset = 0; offset < 5; offset++) {
            lane.add(pending(offset, Instant.EPOCH, Optional.empty()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> owner.settled.size() == 1);
        lane.close();
        lane.add(pending(5, Instant.EPOCH, Optional.empty()));
        // The pace would let the second go after 1 s: give it 1.5 s to show that nothing goes.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> owner.attempts.size() == 1);
        assertThat(lane.isIdle()).isTrue();
    }

    private static List<Long> range(int n) {
        List<Long> offsets = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            offsets.add(i);
        }
        return offsets;
    }

    private Pending pending(long offset, Instant notBefore, Optional<FoldRule> fold) {
        byte[] body = ("{\"type\":\"trial-period-ended\",\"accounts\":[{\"account_name\":\"A" + offset
                + "\",\"account_id\":\"" + offset + "\"}]}").getBytes(StandardCharsets.UTF_8);
        UniskaiEvent event = ((ParseOutcome.Parsed) new WebhookParser().parse(body)).event();
        assertThat(event).isInstanceOf(TrialPeriodEnded.class);
        DeliveryHeaders headers = new DeliveryHeaders("e" + offset + "/slack/k", "e" + offset, "trial-period-ended", "r",
                "slack", "k", destination.redacted(), 1, notBefore, null, null, null);
        return new Pending(ASSIGNMENT, offset, new Delivery(headers, destination, body), event, fold, body.length, notBefore);
    }
}
