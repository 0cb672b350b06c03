package dev.herald.notifier.delivery;

import dev.herald.events.DeliveryHeaders;
import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.fanout.EventReader;
import dev.herald.notifier.kafka.NotifierClients;
import dev.herald.notifier.route.FoldRule;
import dev.herald.notifier.route.RouteTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Stage two: owns the deliveries topic's partitions that the group gives it, and with them every destination whose
 * key falls there, so each destination is paced by exactly one pod however many run. The poll thread never waits on
 * a destination: it hands each record to its destination's {@link Lane}, sender threads make the attempts, the
 * {@link DeliveryWriter} stores what they led to, and the poll thread commits each partition up to its first record
 * not done yet.
 *
 * <p>Nothing is sent twice: a record an earlier owner finished carries a done mark, loaded when the partition is
 * assigned ({@link DoneMarks}); on revocation the lanes of the partition are closed and the attempts in flight are
 * written before the partition is let go, so nothing is sent for a partition no longer owned. The only duplicate
 * left is a crash between a send and the transaction that marks it.
 *
 * <p>Memory: a destination keeps at most {@code maxLaneDeliveries} deliveries in memory; the next ones of it are left
 * in Kafka (not done, so the committed offset waits for them) and the partition is read again from the first of them
 * when the destination has room, so a slow destination holds back only itself. A partition whose deliveries in memory
 * pass {@code maxPendingRecords} or {@code maxPendingBytes}, or whose records read and not committed pass
 * {@code maxUncommittedRecords}, is paused until half of them are done.
 */
public final class DeliveryStage implements Runnable {

    private static final Logger LOG = Logger.getLogger(DeliveryStage.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final long COMMIT_EVERY_NANOS = Duration.ofMillis(200).toNanos();
    /** A commit that fails during a rebalance is made again every 200 ms; it is logged at most this often. */
    private static final long COMMIT_WARNING_EVERY_NANOS = Duration.ofSeconds(10).toNanos();
    private static final Duration REVOKE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration LOG_START_TIMEOUT = Duration.ofSeconds(1);
    private static final long CONFIRM_WHILE_HANDING_OVER_NANOS = Duration.ofSeconds(1).toNanos();

    /** Tuning of the stage. */
    public record Limits(int senders, int maxPendingRecords, long maxPendingBytes, int maxLaneDeliveries,
            int maxUncommittedRecords) {
    }

    private record Written(Assignment assignment, long offset, int bytes, long markOffset) {
    }

    private final String topic;
    private final String groupId;
    private final RouteTable routes;
    private final Map<String, Channel> channels;
    private final Deliverer deliverer;
    private final NotifierMetrics metrics;
    private final Limits limits;
    private final DeliveryRecords records;
    private final KafkaConsumer<String, byte[]> consumer;
    private final DoneMarks doneMarks;
    private final DeliveryWriter writer;
    private final ScheduledExecutorService timers;
    private final EventReader reader = new EventReader();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, Assignment> assignments = new HashMap<>();
    /** Keyed by partition and destination: a destination whose key moves to another partition gets another lane. */
    private final Map<String, Lane> lanes = new HashMap<>();
    /** The offsets Kafka acknowledged as committed, per partition (commit callbacks run on the poll thread). */
    private final Map<Integer, Long> acknowledged = new HashMap<>();
    private final Map<String, ExecutorService> senders = new HashMap<>();
    private final Duration maxBackoff;
    private final ConcurrentLinkedQueue<Written> written = new ConcurrentLinkedQueue<>();
    private final Set<Integer> pausedForMemory = new HashSet<>();
    /** Partitions being read again for deliveries left in Kafka → the position the pass started from. */
    private final Map<Integer, Long> readingAgain = new HashMap<>();
    /** Per partition: where the last pass reading deliveries left in Kafka again started. */
    private final Map<Integer, Long> lastPassFrom = new HashMap<>();
    private final OwnershipLease lease;
    /** Set when a send had to wait for the lease, so that the wait is logged once, not for every send. */
    private final AtomicBoolean leaseLapsed = new AtomicBoolean();
    private long lastCommit;
    private long lastCommitWarning = System.nanoTime() - COMMIT_WARNING_EVERY_NANOS;
    /** Deliveries read and not done yet, for the gauge (written by the poll thread only). */
    private volatile int pending;
    private volatile Thread thread;

    public DeliveryStage(String groupId, RouteTable routes, Map<String, Channel> channels, DeliveryRecords records,
            NotifierMetrics metrics, Backoff backoff, int maxAttempts, io.opentelemetry.api.trace.Tracer tracer,
            NotifierClients clients, Limits limits) {
        this.topic = records.topics().deliveries();
        this.groupId = groupId;
        this.routes = routes;
        this.channels = channels;
        this.metrics = metrics;
        this.limits = limits;
        this.records = records;
        this.deliverer = new Deliverer(channels, records, metrics, backoff, maxAttempts, tracer);
        this.consumer = clients.deliveriesConsumer(groupId, 500);
        this.lease = new OwnershipLease(clients.ownershipLease());
        metrics.bind(consumer);
        this.doneMarks = new DoneMarks(clients.partitionReader(groupId + "-done"), clients.admin(),
                records.topics().deliveriesDone());
        this.writer = new DeliveryWriter(clients, records, this::verdict);
        // Each channel sends on its own threads: slow mail servers never take Slack's turn, nor the reverse.
        channels.keySet().forEach(name -> senders.put(name, Executors.newFixedThreadPool(limits.senders(),
                named("herald-" + name + "-sender"))));
        this.maxBackoff = backoff.max();
        this.timers = Executors.newSingleThreadScheduledExecutor(named("herald-lane-timer"));
        metrics.pendingDeliveries(this::pendingCount);
    }

    public String topic() {
        return topic;
    }

    public String groupId() {
        return groupId;
    }

    public void start() {
        writer.start();
        thread = new Thread(this, "herald-" + groupId);
        thread.start();
    }

    public boolean isHealthy() {
        Thread current = thread;
        return running.get() && current != null && current.isAlive() && writer.isHealthy();
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
        doneMarks.wakeup();
        Thread current = thread;
        if (current != null) {
            try {
                current.join(REVOKE_TIMEOUT.plusSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        try {
            // Nothing is read, so nothing sent, before what a send leads to can be stored: a send whose done mark cannot
            // be written would be sent again by every next owner (and by this pod after each restart).
            while (running.get() && !writer.isReady()) {
                if (!writer.isHealthy()) {
                    throw new IllegalStateException("the delivery writer could not start (see its error above)");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // A cooperative rebalance revokes after the group confirmed this pod in its new generation: the
                    // lease is renewed, so senders of the partitions kept do not stall while these are handed over.
                    lease.renewFrom(System.nanoTime());
                    letGo(partitions, true);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    letGo(partitions, false);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    take(partitions);
                }
            });
            while (running.get()) {
                if (!writer.isHealthy()) {
                    throw new IllegalStateException("the delivery writer stopped (see its error above): nothing more is sent"
                            + " that could not be marked done");
                }
                applyWritten();
                commit(false);
                readAgainWhereRoom();
                pauseOrResume();
                pending = assignments.values().stream().mapToInt(a -> a.progress().pendingCount()).sum();
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                int dispatched = 0;
                try {
                    for (ConsumerRecord<String, byte[]> record : records) {
                        dispatch(record);
                        dispatched++;
                    }
                } catch (RuntimeException e) {
                    rewindTo(records, dispatched);
                    throw e;
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.errorf(e, "The delivery stage stopped");
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "The delivery stage stopped; the pod turns unready");
        } finally {
            running.set(false);
            try {
                letGo(new ArrayList<>(consumer.assignment()), true);
            } catch (RuntimeException e) {
                LOG.warnf("Could not hand the deliveries partitions over cleanly: %s", e.getMessage());
            }
            senders.values().forEach(ExecutorService::shutdownNow);
            timers.shutdownNow();
            try {
                writer.stop(Duration.ofSeconds(10));
                consumer.close(Duration.ofSeconds(5));
            } finally {
                doneMarks.close();
            }
        }
    }

    /**
     * A fault of Herald's stopped the stage in the middle of a batch: each partition's position goes back to its first
     * record not dispatched, so that the commit on the way out (up to the position, when all read is done) does not
     * pass records that were fetched and never looked at.
     */
    private void rewindTo(ConsumerRecords<String, byte[]> records, int dispatched) {
        Map<TopicPartition, Long> firstNotDispatched = new HashMap<>();
        int index = 0;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (index++ >= dispatched) {
                firstNotDispatched.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
            }
        }
        firstNotDispatched.forEach(consumer::seek);
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        Assignment assignment = assignments.get(record.partition());
        if (assignment == null) {
            return;
        }
        PartitionProgress partition = assignment.progress();
        long offset = record.offset();
        // Read a second time, in a pass for deliveries left in Kafka: only those are taken, nothing else twice.
        boolean again = partition.known(offset);
        if (again && !partition.isLeft(offset)) {
            return;
        }
        // Below the committed offset everything is done (and forgotten): a pass reading the partition again after a
        // commit moved past its start reads such records; they are not new.
        if (!again && offset < partition.committed()) {
            return;
        }
        int bytes = record.value() == null ? 0 : record.value().length;
        if (!again && partition.doneBefore(offset)) {
            partition.skipped(offset);
            metrics.alreadyDone();
            return;
        }
        Optional<DeliveryHeaders> headers = DeliveryHeaders.from(DeliveryRecords.headerValues(record.headers())::get);
        if (headers.isEmpty()) {
            partition.read(offset, bytes);
            unreadable(assignment, record, bytes, "the delivery record's headers are missing or malformed");
            return;
        }
        Optional<Destination> destination = routes.destinationByKey(headers.get().channel(), headers.get().destinationKey());
        Lane lane = destination.filter(d -> channels.containsKey(d.channel())).map(d -> laneOf(record.partition(), d))
                .orElse(null);
        if (lane != null && lane.mustLeave(offset, again, limits.maxLaneDeliveries())) {
            // Its destination is full: the body is not kept; the partition is read again from here when there is room.
            partition.leave(offset);
            return;
        }
        if (again) {
            partition.readAgain(offset, bytes);
        } else {
            partition.read(offset, bytes);
        }
        Optional<UniskaiEvent> event = record.value() == null ? Optional.empty() : reader.read(record.value());
        Delivery delivery = new Delivery(headers.get(), destination.orElse(new Destination(headers.get().channel(), "",
                headers.get().destination(), headers.get().destinationKey())), record.value() == null ? new byte[0] : record.value());
        Optional<FoldRule> fold = routes.foldOf(headers.get().route());
        // A not-before time further away than max-backoff (a skewed clock, a forged header) is not waited for.
        Instant latest = Instant.now().plus(maxBackoff);
        Instant notBefore = headers.get().notBefore().isAfter(latest) ? latest : headers.get().notBefore();
        Pending pending = new Pending(assignment, offset, delivery, event.orElse(null), fold, bytes, notBefore);
        if (event.isEmpty()) {
            settle(deliverer.deadLetter(pending, "the event body is not readable"));
        } else if (destination.isEmpty()) {
            settle(deliverer.deadLetter(pending, "the destination " + headers.get().destination()
                    + " is no longer in the routes file"));
        } else if (lane == null) {
            settle(deliverer.deadLetter(pending, "no channel named " + destination.get().channel()));
        } else {
            lane.add(pending);
        }
    }

    private Lane laneOf(int partition, Destination destination) {
        String channel = destination.channel();
        return lanes.computeIfAbsent(partition + "/" + channel + "/" + destination.key(), k -> new Lane(partition,
                channels.get(channel).pace(), owner, senders.get(channel), timers));
    }

    /**
     * Starts a pass over a partition when one of its destinations with deliveries left in Kafka has half of its room
     * free again, from the first of them, and ends it once no destination that is not full again has deliveries left
     * further on (the rest of the pass would only skip records).
     */
    private void readAgainWhereRoom() {
        int capacity = limits.maxLaneDeliveries();
        for (var entry : assignments.entrySet()) {
            int number = entry.getKey();
            if (!entry.getValue().progress().hasLeft() && !readingAgain.containsKey(number)) {
                continue;
            }
            TopicPartition tp = new TopicPartition(topic, number);
            List<Lane> partitionLanes = lanes.values().stream().filter(lane -> lane.partition() == number).toList();
            Long until = readingAgain.get(number);
            if (until != null) {
                long position = consumer.position(tp);
                if (position < until && partitionLanes.stream().anyMatch(lane -> !lane.fullThisPass()
                        && lane.held() < capacity && lane.hasLeftFrom(position))) {
                    continue;
                }
                readingAgain.remove(number);
                if (position < until) {
                    consumer.seek(tp, until);
                }
            }
            long from = firstToReadAgain(partitionLanes, capacity);
            if (from >= 0 && Long.valueOf(from).equals(lastPassFrom.get(number))) {
                // The last pass started here too and did not get past this record: is it still stored? (A pass always
                // takes the first left delivery of a lane with room, unless the topic's retention deleted it.)
                long logStart = logStart(tp);
                if (from < logStart) {
                    deletedBeforeReadAgain(number, entry.getValue(), logStart);
                    from = firstToReadAgain(partitionLanes, capacity);
                }
            }
            if (from < 0) {
                continue;
            }
            lastPassFrom.put(number, from);
            partitionLanes.forEach(lane -> lane.startPass(capacity));
            readingAgain.put(number, consumer.position(tp));
            consumer.seek(tp, from);
        }
    }

    private static long firstToReadAgain(List<Lane> partitionLanes, int capacity) {
        return partitionLanes.stream().filter(lane -> lane.wantsMore(capacity)).mapToLong(Lane::firstLeft).min()
                .orElse(-1);
    }

    /** The partition's first offset still stored; -1 when Kafka does not say within a second (the next pass asks again). */
    private long logStart(TopicPartition tp) {
        return logStarts(List.of(tp)).getOrDefault(tp, -1L);
    }

    /**
     * Deliveries left in Kafka that the topic's retention deleted before they could be read again (their destination
     * fell behind for longer than the topic keeps records): they cannot be sent, so each is dead-lettered, naming its
     * offset, channel and destination key, and marked done; their destinations go on with the deliveries still stored.
     */
    private void deletedBeforeReadAgain(int partition, Assignment assignment, long logStart) {
        int count = 0;
        for (var entry : lanes.entrySet()) {
            Lane lane = entry.getValue();
            if (lane.partition() != partition) {
                continue;
            }
            // "partition/channel/destination key", as laneOf names it.
            String[] name = entry.getKey().split("/", 3);
            for (long offset : lane.forgetLeftBefore(logStart)) {
                count++;
                assignment.progress().deletedWhileLeft(offset);
                var mark = records.done(partition, offset, "deleted@" + offset, "dead");
                var dead = records.unreadable(name[2], null, Map.of(DeliveryHeaders.CHANNEL, name[1],
                        DeliveryHeaders.DESTINATION_KEY, name[2]), "deleted by the topic's retention before its"
                        + " destination could take it (the destination fell behind by more than the topic keeps)",
                        topic, partition, offset);
                settle(new Settlement(List.of(new Pending(assignment, offset, null, null, Optional.empty(), 0,
                        Instant.EPOCH)), List.of(mark), List.of(dead), Duration.ZERO));
            }
        }
        metrics.deletedUnsent(count);
        LOG.errorf("%d deliveries left in Kafka on %s-%d were deleted by the topic's retention before they could be read"
                + " again (records before offset %d are gone); each goes to the dead-letter topic without its body",
                count, topic, partition, logStart);
    }

    private void unreadable(Assignment assignment, ConsumerRecord<String, byte[]> record, int bytes, String reason) {
        metrics.unreadable(topic);
        LOG.errorf("Delivery record %s-%d@%d goes to the dead-letter topic: %s", record.topic(), record.partition(),
                record.offset(), reason);
        var mark = records.done(record.partition(), record.offset(), "unreadable@" + record.offset(), "dead");
        var dead = records.unreadable(record.key(), record.value(), Map.of(), reason, record.topic(), record.partition(),
                record.offset());
        // No delivery can be read from it: the pending entry only says which record is done.
        settle(new Settlement(List.of(new Pending(assignment, record.offset(), null, null, Optional.empty(), bytes,
                Instant.EPOCH)), List.of(mark), List.of(dead), Duration.ZERO));
    }

    /** What lanes report to the stage. */
    private final Lane.Owner owner = new Lane.Owner() {
        @Override
        public void taken(List<Pending> items) {
            items.get(0).assignment().taken();
        }

        @Override
        public Settlement attempt(List<Pending> items) {
            return deliverer.attempt(items);
        }

        @Override
        public Settlement failed(List<Pending> items, Throwable fault) {
            return deliverer.failed(items, fault);
        }

        @Override
        public void settled(Settlement settlement, Runnable written) {
            Assignment assignment = settlement.items().get(0).assignment();
            writer.write(settlement, (stored, markOffsets) -> {
                DeliveryStage.this.written(stored, markOffsets);
                written.run();
            }, () -> {
                // The attempt ended, or waited to be written, while this pod was cut off from its group: its retry,
                // mark and outcome would be written for a partition another pod now delivers (a send that timed out
                // in a freeze would be sent a third time). The new owner reads the delivery again.
                LOG.warnf("What an attempt for deliveries partition %d led to is not written: the partition went to"
                        + " another pod, or this pod stops without the group's confirmation; the delivery is read"
                        + " again by the partition's next owner", assignment.partition());
                assignment.written();
                written.run();
            });
        }

        @Override
        public void abandoned(List<Pending> items) {
            items.get(0).assignment().written();
        }

        @Override
        public boolean mayStart(Assignment assignment) {
            if (!writer.isHealthy()) {
                return false; // its done mark could not be written: the next owner sends it, once
            }
            // On a sender thread: it waits (the poll thread never does) until the coordinator confirms this pod again,
            // or the partition is let go, which the poll thread learns at its next poll.
            while (!lease.holds(System.nanoTime())) {
                if (!assignment.owned() || !running.get()) {
                    return false;
                }
                if (leaseLapsed.compareAndSet(false, true)) {
                    LOG.warnf("No delivery starts until the group coordinator confirms this pod's partitions again: the"
                            + " last confirmation is older than %s (a stall, or Kafka out of reach)", lease.length());
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            return assignment.owned();
        }
    };

    /** A settlement made on the poll thread (a dead letter): counted like an attempt until it is written. */
    private void settle(Settlement settlement) {
        owner.taken(settlement.items());
        writer.write(settlement, this::written, () -> settlement.items().get(0).assignment().written());
    }

    /**
     * On the writer's thread, just before each transaction: whether what an attempt led to may be written. At once
     * while the lease holds (a hand-over renews it, so the attempts in flight of a revoked partition are written);
     * after a stall, once the lease is renewed, unless the partition was lost meanwhile (or its hand-over ran out of
     * time). Asked here rather than when the attempt ends, so that a settlement that was waiting for the writer when
     * the pod froze is not written after it wakes either.
     */
    private DeliveryWriter.Verdict verdict(Assignment assignment) {
        if (assignment.lost()) {
            return DeliveryWriter.Verdict.DROP;
        }
        if (lease.holds(System.nanoTime())) {
            return DeliveryWriter.Verdict.WRITE;
        }
        // Stopping with the lease run out (after a stall): the record stays not done, the next owner delivers it;
        // writing a retry could make it go a third time.
        return running.get() ? DeliveryWriter.Verdict.WAIT : DeliveryWriter.Verdict.DROP;
    }

    /** On the writer's thread: the settlement is stored; the poll thread applies it to its assignment. */
    private void written(Settlement settlement, long[] markOffsets) {
        List<Pending> items = settlement.items();
        for (int i = 0; i < items.size(); i++) {
            Pending item = items.get(i);
            written.add(new Written(item.assignment(), item.offset(), item.bytes(),
                    markOffsets == null ? Long.MAX_VALUE : markOffsets[i]));
        }
        items.get(0).assignment().written();
    }

    private void applyWritten() {
        for (Written done; (done = written.poll()) != null; ) {
            // What an earlier assignment of the same partition finishes late says nothing about this one.
            if (assignments.get(done.assignment().partition()) == done.assignment()) {
                done.assignment().progress().done(done.offset(), done.bytes(), done.markOffset());
            }
        }
    }

    private void commit(boolean now) {
        long time = System.nanoTime();
        if (!now && time - lastCommit < COMMIT_EVERY_NANOS) {
            return;
        }
        lastCommit = time;
        // A commit the coordinator accepts also renews the lease: one is made when the lease is half gone, even
        // with nothing new to commit.
        boolean renew = lease.dueForRenewal(time);
        Map<TopicPartition, OffsetAndMetadata> offsets = offsetsToCommit(assignments.keySet(), renew);
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    if (time - lastCommitWarning > COMMIT_WARNING_EVERY_NANOS) {
                        lastCommitWarning = time;
                        LOG.warnf("Committing the deliveries offsets %s failed (%s); the next commit tries again",
                                committed, error.getMessage());
                    }
                } else {
                    committed.forEach((tp, offset) -> acknowledged.put(tp.partition(), offset.offset()));
                    lease.renewFrom(time);
                    leaseLapsed.set(false);
                }
            });
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> offsetsToCommit(Collection<Integer> partitions) {
        return offsetsToCommit(partitions, false);
    }

    /** With {@code again}, every partition is committed, moved or not. */
    private Map<TopicPartition, OffsetAndMetadata> offsetsToCommit(Collection<Integer> partitions, boolean again) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int number : partitions) {
            PartitionProgress partition = assignments.get(number).progress();
            TopicPartition tp = new TopicPartition(topic, number);
            long next = partition.advance(consumer.position(tp));
            // Until Kafka has acknowledged it: a commit that failed is made again, even with no new progress.
            if (again || !Long.valueOf(next).equals(acknowledged.get(number))) {
                offsets.put(tp, new OffsetAndMetadata(next, partition.metadata()));
            }
        }
        return offsets;
    }

    private void pauseOrResume() {
        for (var entry : assignments.entrySet()) {
            PartitionProgress partition = entry.getValue().progress();
            TopicPartition tp = new TopicPartition(topic, entry.getKey());
            // The uncommitted span counts, done records included: it is what the next owner must read marks for. A
            // pass reading deliveries left in Kafka goes on whatever the span (it reads records already counted),
            // or the oldest of them, which holds the commit, could never be read again.
            boolean passing = readingAgain.containsKey(entry.getKey());
            boolean memoryFull = partition.heldCount() >= limits.maxPendingRecords()
                    || partition.pendingBytes() >= limits.maxPendingBytes();
            boolean spanFull = partition.uncommitted() >= limits.maxUncommittedRecords();
            boolean full = memoryFull || (spanFull && !passing);
            boolean roomy = partition.heldCount() <= limits.maxPendingRecords() / 2
                    && partition.pendingBytes() <= limits.maxPendingBytes() / 2
                    && (passing || partition.uncommitted() <= limits.maxUncommittedRecords() / 2);
            if (full && pausedForMemory.add(entry.getKey())) {
                consumer.pause(List.of(tp));
                LOG.infof("Deliveries partition %d paused: %d deliveries (%d bytes) wait in memory, %d records read are"
                        + " not committed", entry.getKey(), partition.heldCount(), partition.pendingBytes(),
                        partition.uncommitted());
            } else if (roomy && pausedForMemory.remove(entry.getKey())) {
                consumer.resume(List.of(tp));
            }
        }
    }

    /**
     * While marks are loaded (the poll thread waits on a dead owner's transaction), the partitions kept go on being
     * sent to: their offsets are committed again so that the coordinator confirms this pod and the lease holds.
     */
    private void confirmMembership() {
        long sentAt = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = offsetsToCommit(assignments.keySet(), true);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(5));
            offsets.forEach((tp, offset) -> acknowledged.put(tp.partition(), offset.offset()));
            lease.renewFrom(sentAt);
        } catch (RuntimeException e) {
            LOG.debugf("Confirming the partitions kept while loading done marks failed: %s", e.getMessage());
        }
    }

    private void take(Collection<TopicPartition> partitions) {
        // The group has just confirmed this pod as a member (a rebalance ended): that renews the lease too.
        lease.renewFrom(System.nanoTime());
        leaseLapsed.set(false);
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        Map<TopicPartition, Long> logStarts = logStarts(partitions);
        doneMarks.load(partitions, committed, this::confirmMembership).forEach((number, progress) -> {
            lastPassFrom.remove(number);
            deletedBeforeTaken(number, committed.get(new TopicPartition(topic, number)),
                    logStarts.get(new TopicPartition(topic, number)), progress);
            assignments.put(number, new Assignment(number, progress));
            OffsetAndMetadata offset = committed.get(new TopicPartition(topic, number));
            if (offset != null) {
                acknowledged.put(number, offset.offset());
            }
        });
        LOG.infof("Delivering for partitions %s of %s", partitions.stream().map(TopicPartition::partition).toList(), topic);
    }

    /** The first stored offset of each partition; empty when Kafka does not say within a second. */
    private Map<TopicPartition, Long> logStarts(Collection<TopicPartition> partitions) {
        try {
            return consumer.beginningOffsets(partitions, LOG_START_TIMEOUT);
        } catch (org.apache.kafka.common.errors.WakeupException | org.apache.kafka.common.errors.InterruptException e) {
            throw e;
        } catch (org.apache.kafka.common.KafkaException e) {
            LOG.warnf("Kafka did not give the first stored offsets of %s (%s)", partitions, e.getMessage());
            return Map.of();
        }
    }

    /**
     * A partition taken with its committed offset below its first stored record: the topic's retention deleted
     * records this group had not finished (the consumer goes on from the first stored one). Those an earlier owner
     * marked done were sent; the others never will be, and nothing of them is left to dead-letter: said loudly.
     */
    private void deletedBeforeTaken(int number, OffsetAndMetadata committed, Long logStart, PartitionProgress progress) {
        if (committed == null || logStart == null || committed.offset() >= logStart) {
            return;
        }
        long notDone = logStart - committed.offset() - progress.doneBeforeBetween(committed.offset(), logStart);
        metrics.deletedUnsent(notDone);
        LOG.errorf("Deliveries partition %s-%d: offsets %d to %d were deleted by the topic's retention before this group"
                + " finished them; up to %d of them (transaction markers included) were never sent and cannot be",
                topic, number, committed.offset(), logStart - 1, notDone);
    }

    /**
     * The partitions go to another pod: no attempt starts for them any more, the attempts in flight finish and are
     * written, and what is done is committed. Lost partitions (the group moved on without this pod) are dropped at
     * once: their new owner may already be sending.
     */
    private void letGo(Collection<TopicPartition> partitions, boolean revoked) {
        if (partitions.isEmpty()) {
            return;
        }
        List<Assignment> leaving = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Assignment assignment = assignments.get(tp.partition());
            if (assignment != null) {
                if (revoked) {
                    assignment.release();
                } else {
                    assignment.lose();
                }
                leaving.add(assignment);
            }
        }
        Set<Integer> numbers = new HashSet<>();
        leaving.forEach(assignment -> numbers.add(assignment.partition()));
        for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
            Lane lane = it.next();
            if (numbers.contains(lane.partition())) {
                lane.close();
                it.remove();
            }
        }
        if (revoked) {
            long deadline = System.nanoTime() + REVOKE_TIMEOUT.toNanos();
            long nextConfirmation = System.nanoTime() + CONFIRM_WHILE_HANDING_OVER_NANOS;
            while (leaving.stream().anyMatch(assignment -> assignment.unwritten() > 0) && System.nanoTime() < deadline) {
                applyWritten();
                if (System.nanoTime() > nextConfirmation) {
                    // The partitions kept go on being sent to meanwhile: keep the lease.
                    confirmMembership();
                    nextConfirmation = System.nanoTime() + CONFIRM_WHILE_HANDING_OVER_NANOS;
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            applyWritten();
            if (leaving.stream().anyMatch(assignment -> assignment.unwritten() > 0)) {
                // What they lead to would reach the next owner after it took over: it is dropped, not written.
                leaving.forEach(Assignment::lose);
                LOG.warnf("Handing over deliveries partitions %s with attempts still unwritten after %s; their results"
                        + " will not be written", numbers, REVOKE_TIMEOUT);
            }
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = offsetsToCommit(numbers);
                if (!offsets.isEmpty()) {
                    long sentAt = System.nanoTime();
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                    if (running.get()) {
                        lease.renewFrom(sentAt);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf("Could not commit the deliveries partitions %s on hand-over (%s); their done marks cover them",
                        numbers, e.getMessage());
            }
        }
        numbers.forEach(n -> {
            assignments.remove(n);
            acknowledged.remove(n);
            pausedForMemory.remove(n);
            readingAgain.remove(n);
        });
    }

    private int pendingCount() {
        return pending;
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

}
