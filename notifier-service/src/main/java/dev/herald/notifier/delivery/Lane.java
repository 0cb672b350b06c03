package dev.herald.notifier.delivery;

import dev.herald.notifier.route.FoldRule;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One destination's deliveries, owned by this pod while it owns the destination's partition: sent one at a time, in
 * the order they were read, no faster than the channel's {@link Pace}, and not while the destination is held (a 429's
 * {@code Retry-After}, a peer that is down). A retry waits in its own queue until it is due, so it never holds back
 * the deliveries behind it. No thread ever waits here: a lane that must wait sets a timer and gives its thread back.
 *
 * <p>Folding: when more than {@code after} deliveries of one type arrive within {@code within}, the next ones of that
 * type are gathered for {@code within} and go as one message that sums them all up.
 */
final class Lane {

    /** A fold never gathers more than this many deliveries; a larger burst goes as several folds. */
    static final int MAX_FOLD = 1_000;

    private final int partition;
    private final Owner owner;
    private final Executor senders;
    private final ScheduledExecutorService timers;
    private final TokenBucket bucket;
    private final ArrayDeque<Pending> ready = new ArrayDeque<>();
    private final PriorityQueue<Pending> delayed = new PriorityQueue<>(Comparator.comparing(Pending::notBefore));
    private final Map<String, FoldWindow> folds = new HashMap<>();
    private long heldUntil;
    private boolean running;
    private boolean closed;
    private ScheduledFuture<?> wake;

    /** The deliveries of one type gathered for one folded message, and when it goes. */
    private static final class FoldWindow {
        final ArrayDeque<Long> arrivals = new ArrayDeque<>();
        final List<Pending> gathered = new ArrayList<>();
        long sendAt;
    }

    /** What a lane reports to the stage that owns it. */
    interface Owner {

        /** These deliveries leave the lane for an attempt (called under the lane's lock, before the attempt). */
        void taken(List<Pending> items);

        Settlement attempt(List<Pending> items);

        /** The attempt's records are to be written; the deliveries are done once they are. */
        void settled(Settlement settlement);
    }

    Lane(int partition, Pace pace, Owner owner, Executor senders, ScheduledExecutorService timers) {
        this.partition = partition;
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
        long now = System.nanoTime();
        if (item.notBefore().isAfter(java.time.Instant.now())) {
            delayed.add(item);
        } else {
            ready.add(item);
        }
        item.fold().ifPresent(rule -> {
            FoldWindow window = folds.computeIfAbsent(item.delivery().type(), type -> new FoldWindow());
            window.arrivals.add(now);
            prune(window, rule, now);
        });
        if (!running) {
            cancelWake();
            running = true;
            senders.execute(this::drain);
        }
    }

    /** Drops everything not yet sent: the partition went to another pod, which reads these deliveries again. */
    synchronized void close() {
        closed = true;
        ready.clear();
        delayed.clear();
        folds.clear();
        cancelWake();
    }

    synchronized boolean isIdle() {
        return ready.isEmpty() && delayed.isEmpty() && folds.values().stream().allMatch(w -> w.gathered.isEmpty()) && !running;
    }

    /** Sends what is due, one message per turn, then gives the thread back. */
    private void drain() {
        List<Pending> batch;
        synchronized (this) {
            batch = next();
            if (batch == null) {
                running = false;
                return;
            }
            bucket.take(System.nanoTime());
            owner.taken(batch);
        }
        Settlement settlement = owner.attempt(batch);
        synchronized (this) {
            long now = System.nanoTime();
            if (!settlement.holdDestination().isZero()) {
                heldUntil = Math.max(heldUntil, now + settlement.holdDestination().toNanos());
            }
        }
        owner.settled(settlement);
        senders.execute(this::drain);
    }

    /** The next message's deliveries; null when nothing may go now (a timer is set if something will). */
    private List<Pending> next() {
        while (!closed) {
            long now = System.nanoTime();
            List<Pending> dueFold = dueFold(now);
            long wait = Math.max(heldUntil - now, bucket.waitNanos(now));
            if (dueFold != null || hasDue()) {
                if (wait > 0) {
                    schedule(wait);
                    return null;
                }
                if (dueFold != null) {
                    return dueFold;
                }
                Pending item = !delayed.isEmpty() && !delayed.peek().notBefore().isAfter(java.time.Instant.now())
                        ? delayed.poll() : ready.poll();
                List<Pending> single = gatherOrSend(item, now);
                if (single != null) {
                    return single;
                }
                continue;
            }
            long nextWake = Long.MAX_VALUE;
            if (!delayed.isEmpty()) {
                nextWake = Math.max(1, Duration.between(java.time.Instant.now(), delayed.peek().notBefore()).toNanos());
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
        return null;
    }

    private boolean hasDue() {
        return !ready.isEmpty() || (!delayed.isEmpty() && !delayed.peek().notBefore().isAfter(java.time.Instant.now()));
    }

    /** The item alone, or null when it joins a fold (which goes later, as one message). */
    private List<Pending> gatherOrSend(Pending item, long now) {
        if (item.fold().isEmpty()) {
            return List.of(item);
        }
        FoldRule rule = item.fold().get();
        FoldWindow window = folds.computeIfAbsent(item.delivery().type(), type -> new FoldWindow());
        prune(window, rule, now);
        if (window.gathered.isEmpty() && window.arrivals.size() <= rule.after()) {
            return List.of(item);
        }
        if (window.gathered.isEmpty()) {
            window.sendAt = now + rule.within().toNanos();
        }
        window.gathered.add(item);
        return null;
    }

    /** A fold whose time has come, or that is full; a fold of one goes as a single message. */
    private List<Pending> dueFold(long now) {
        for (Iterator<FoldWindow> windows = folds.values().iterator(); windows.hasNext(); ) {
            FoldWindow window = windows.next();
            if (!window.gathered.isEmpty() && (window.sendAt <= now || window.gathered.size() >= MAX_FOLD)) {
                List<Pending> batch = List.copyOf(window.gathered);
                window.gathered.clear();
                return batch;
            }
        }
        return null;
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
        if (!running && !closed) {
            running = true;
            senders.execute(this::drain);
        }
    }

    private void cancelWake() {
        if (wake != null) {
            wake.cancel(false);
            wake = null;
        }
    }
}
