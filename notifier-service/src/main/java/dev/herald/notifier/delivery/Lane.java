package dev.herald.notifier.delivery;

import dev.herald.notifier.route.FoldRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One destination's deliveries, owned by this pod while it owns the destination's partition: sent in the order they
 * were read, no faster than the channel's {@link Pace}, with at most {@code inFlight} messages sent and not yet marked
 * done, and not while the destination is held (a 429's {@code Retry-After}, a peer that is down). A retry waits in
 * its own queue until it is due, so it never holds back the deliveries behind it. No thread ever waits here: a lane
 * that must wait sets a timer, and a lane at its in-flight limit goes on when a done mark is written.
 *
 * <p>Folding: when more than {@code after} deliveries of one type arrive within {@code within}, the next ones of that
 * type are gathered for {@code within} and go as one message that sums them all up.
 */
final class Lane {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Lane.class);

    /** A fold never gathers more than this many deliveries; a larger burst goes as several folds. */
    static final int MAX_FOLD = 1_000;

    /** What a lane reports to the stage that owns it. */
    interface Owner {

        /** These deliveries leave the lane for an attempt (called under the lane's lock, before the attempt). */
        void taken(List<Pending> items);

        Settlement attempt(List<Pending> items);

        /**
         * What an attempt that failed inside Herald leads to ({@link #attempt} threw: a fault of Herald's, not the
         * peer's answer, which {@code attempt} turns into a settlement): whether it was sent is unknown.
         */
        Settlement failed(List<Pending> items, Throwable fault);

        /** The attempt's records are to be written; {@code written} runs once they are. */
        void settled(Settlement settlement, Runnable written);

        /** Taken, but not attempted: the partition is no longer this pod's. */
        void abandoned(List<Pending> items);

        /**
         * Whether this pod may start a send for {@code assignment} now: true at once while the group coordinator's
         * confirmation holds, after a wait when it must be renewed first, false when the partition went elsewhere.
         */
        boolean mayStart(Assignment assignment);
    }

    /** The deliveries of one type gathered for one folded message, and when it goes. */
    private static final class FoldWindow {
        final ArrayDeque<Long> arrivals = new ArrayDeque<>();
        /** First attempts of this type waiting in the lane: they arrived together even if the pace held them. */
        int waiting;
        final List<Pending> gathered = new ArrayList<>();
        long sendAt;
    }

    private final int partition;
    private final Owner owner;
    private final Executor senders;
    private final ScheduledExecutorService timers;
    private final Pace pace;
    private final TokenBucket bucket;
    private final ArrayDeque<Pending> ready = new ArrayDeque<>();
    private final PriorityQueue<Pending> delayed = new PriorityQueue<>(Comparator.comparing(Pending::notBefore));
    private final Map<String, FoldWindow> folds = new HashMap<>();
    private long heldUntil;
    private int inFlight;
    private boolean closed;
    private ScheduledFuture<?> wake;
    /** Poll thread only: the offsets of this destination's deliveries left in Kafka, read again in their order. */
    private final java.util.NavigableSet<Long> leftInKafka = new java.util.TreeSet<>();
    /** Poll thread only: in the current reading-again pass, one was left again, so every later one must be too. */
    private boolean leftThisPass;

    Lane(int partition, Pace pace, Owner owner, Executor senders, ScheduledExecutorService timers) {
        this.partition = partition;
        this.pace = pace;
        this.owner = owner;
        this.senders = senders;
        this.timers = timers;
        this.bucket = new TokenBucket(pace, System.nanoTime());
    }

    int partition() {
        return partition;
    }

    synchronized void add(Pending item) {
        if (closed) {
            return;
        }
        if (item.notBefore().isAfter(Instant.now())) {
            delayed.add(item);
        } else {
            ready.add(item);
        }
        // A burst is of events arriving; a retry coming back is not a new arrival.
        item.fold().filter(rule -> item.delivery().attempt() == 1).ifPresent(rule -> {
            long now = System.nanoTime();
            FoldWindow window = folds.computeIfAbsent(item.delivery().type(), type -> new FoldWindow());
            window.arrivals.add(now);
            window.waiting++;
            prune(window, rule, now);
        });
        pump();
    }

    /** Drops everything not yet sent: the partition went to another pod, which reads these deliveries again. */
    synchronized void close() {
        closed = true;
        ready.clear();
        delayed.clear();
        folds.clear();
        cancelWake();
    }

    /** Deliveries this lane holds in memory: waiting, gathered into folds, or being attempted. */
    synchronized int held() {
        int gathered = 0;
        for (FoldWindow window : folds.values()) {
            gathered += window.gathered.size();
        }
        return ready.size() + delayed.size() + gathered + inFlight;
    }

    /**
     * Poll thread only. Whether the delivery at {@code offset} read now must be left in Kafka rather than kept: the
     * lane is full, or older deliveries of it are still left there (they go first). {@code again}: it is one of
     * those, read again.
     */
    boolean mustLeave(long offset, boolean again, int capacity) {
        if (again) {
            Long first = leftInKafka.isEmpty() ? null : leftInKafka.first();
            if (leftThisPass || held() >= capacity || (first != null && first != offset)) {
                leftThisPass = true;
                return true;
            }
            leftInKafka.remove(offset);
            return false;
        }
        if (!leftInKafka.isEmpty() || held() >= capacity) {
            leftInKafka.add(offset);
            return true;
        }
        return false;
    }

    /** Poll thread only: deliveries of this destination are left in Kafka at or after {@code offset}. */
    boolean hasLeftFrom(long offset) {
        return leftInKafka.ceiling(offset) != null;
    }

    /**
     * Poll thread only: forgets the deliveries left in Kafka below {@code offset} (the partition's log start: the
     * topic's retention deleted them before they could be read again) and returns their offsets.
     */
    List<Long> forgetLeftBefore(long offset) {
        var gone = leftInKafka.headSet(offset, false);
        List<Long> offsets = List.copyOf(gone);
        gone.clear();
        return offsets;
    }

    /** Poll thread only: the first of this destination's deliveries left in Kafka; -1 when none is. */
    long firstLeft() {
        return leftInKafka.isEmpty() ? -1 : leftInKafka.first();
    }

    /** Poll thread only: deliveries are left in Kafka and half of the room is free again. */
    boolean wantsMore(int capacity) {
        return !leftInKafka.isEmpty() && held() <= capacity / 2;
    }

    /** Poll thread only: a pass reading the partition again begins; a lane full already takes nothing from it. */
    void startPass(int capacity) {
        leftThisPass = held() >= capacity;
    }

    /** Poll thread only: the lane has left one in Kafka in this pass, so it takes nothing more from it. */
    boolean fullThisPass() {
        return leftThisPass;
    }

    synchronized boolean isIdle() {
        return ready.isEmpty() && delayed.isEmpty() && folds.values().stream().allMatch(w -> w.gathered.isEmpty())
                && inFlight == 0;
    }

    /** Starts every attempt that may start now; sets a timer for the next one that will be due. */
    private void pump() {
        while (!closed && inFlight < pace.inFlight()) {
            List<Pending> batch = next();
            if (batch == null) {
                return;
            }
            inFlight++;
            bucket.take(System.nanoTime());
            owner.taken(batch);
            senders.execute(() -> attempt(batch));
        }
    }

    private void attempt(List<Pending> batch) {
        Assignment assignment = batch.get(0).assignment();
        if (closed || !assignment.owned() || !owner.mayStart(assignment)) {
            // The partition went to another pod while this attempt waited for a thread: it sends them, not this pod.
            owner.abandoned(batch);
            written();
            return;
        }
        Settlement settlement;
        try {
            settlement = owner.attempt(batch);
        } catch (RuntimeException | StackOverflowError fault) {
            // Settled all the same (dead-lettered, saying why): an attempt that never settles would keep its place in
            // flight, and its records not done, holding this lane and its partition's commit for good.
            try {
                settlement = owner.failed(batch, fault);
            } catch (RuntimeException again) {
                // Not even a dead letter can be made: the deliveries stay not done (the partition's next owner reads
                // them again), and the lane goes on with the others.
                fault.addSuppressed(again);
                LOG.errorf(fault, "An attempt for deliveries partition %d failed and could not be dead-lettered", partition);
                owner.abandoned(batch);
                written();
                return;
            }
        }
        synchronized (this) {
            if (!settlement.holdDestination().isZero()) {
                heldUntil = Math.max(heldUntil, System.nanoTime() + settlement.holdDestination().toNanos());
            }
        }
        owner.settled(settlement, this::written);
    }

    private synchronized void written() {
        inFlight--;
        pump();
    }

    /** The next message's deliveries; null when nothing may go now (a timer is set if something will). */
    private List<Pending> next() {
        while (true) {
            long now = System.nanoTime();
            // One reading of the wall clock for the whole decision: read twice, a clock stepping back in between
            // would find a retry due, then not, and take nothing.
            Instant wall = Instant.now();
            if (hasDueFold(now) || hasDue(wall)) {
                long wait = Math.max(heldUntil - now, bucket.waitNanos(now));
                if (wait > 0) {
                    schedule(wait);
                    return null;
                }
                List<Pending> dueFold = takeDueFold(now);
                if (dueFold != null) {
                    return dueFold;
                }
                Pending item = delayedDue(wall) ? delayed.poll() : ready.poll();
                List<Pending> single = gatherOrSend(item, now);
                if (single != null) {
                    return single;
                }
                continue;
            }
            long nextWake = Long.MAX_VALUE;
            if (!delayed.isEmpty()) {
                nextWake = Math.max(1, Duration.between(wall, delayed.peek().notBefore()).toNanos());
            }
            for (FoldWindow window : folds.values()) {
                if (!window.gathered.isEmpty()) {
                    nextWake = Math.min(nextWake, Math.max(1, window.sendAt - now));
                }
            }
            if (nextWake != Long.MAX_VALUE) {
                schedule(nextWake);
            }
            return null;
        }
    }

    private boolean hasDue(Instant wall) {
        return !ready.isEmpty() || delayedDue(wall);
    }

    private boolean delayedDue(Instant wall) {
        return !delayed.isEmpty() && !delayed.peek().notBefore().isAfter(wall);
    }

    /** The item alone, or null when it joins a fold (which goes later, as one message). */
    private List<Pending> gatherOrSend(Pending item, long now) {
        if (item.fold().isEmpty()) {
            return List.of(item);
        }
        FoldRule rule = item.fold().get();
        FoldWindow window = folds.computeIfAbsent(item.delivery().type(), type -> new FoldWindow());
        prune(window, rule, now);
        // This one and the others of its type still waiting arrived together; so did those of the last `within`.
        int burst = Math.max(window.arrivals.size(), window.waiting);
        if (item.delivery().attempt() == 1) {
            window.waiting--;
        }
        if (window.gathered.isEmpty() && burst <= rule.after()) {
            return List.of(item);
        }
        if (window.gathered.isEmpty()) {
            window.sendAt = now + rule.within().toNanos();
        }
        window.gathered.add(item);
        return null;
    }

    private boolean hasDueFold(long now) {
        return folds.values().stream().anyMatch(window -> due(window, now));
    }

    /** Takes a fold whose time has come, or that is full; a fold of one goes as a single message. */
    private List<Pending> takeDueFold(long now) {
        for (FoldWindow window : folds.values()) {
            if (due(window, now)) {
                List<Pending> batch = List.copyOf(window.gathered);
                window.gathered.clear();
                return batch;
            }
        }
        return null;
    }

    private static boolean due(FoldWindow window, long now) {
        return !window.gathered.isEmpty() && (window.sendAt <= now || window.gathered.size() >= MAX_FOLD);
    }

    private static void prune(FoldWindow window, FoldRule rule, long now) {
        long since = now - rule.within().toNanos();
        while (!window.arrivals.isEmpty() && window.arrivals.peekFirst() < since) {
            window.arrivals.pollFirst();
        }
    }

    private void schedule(long nanos) {
        cancelWake();
        wake = timers.schedule(this::wake, nanos, TimeUnit.NANOSECONDS);
    }

    private synchronized void wake() {
        wake = null;
        pump();
    }

    private void cancelWake() {
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
    }
}
