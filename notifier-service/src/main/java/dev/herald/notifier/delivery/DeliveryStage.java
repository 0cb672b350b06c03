package dev.herald.notifier.delivery;

import dev.herald.events.DeliveryHeaders;
import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.fanout.EventReader;
import dev.herald.notifier.kafka.NotifierClients;
import dev.herald.notifier.route.FoldRule;
import dev.herald.notifier.route.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * <p>Memory: a partition whose records in memory pass {@code maxPendingRecords} or {@code maxPendingBytes} is paused
 * until half of them are done.
 */
public final class DeliveryStage implements Runnable {

    private static final Logger LOG = Logger.getLogger(DeliveryStage.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final long COMMIT_EVERY_NANOS = Duration.ofMillis(200).toNanos();
    private static final Duration REVOKE_TIMEOUT = Duration.ofSeconds(20);

    /** Tuning of the stage. */
    public record Limits(int senders, int maxPendingRecords, long maxPendingBytes) {
    }

    private record Written(int partition, long offset, int bytes, long markOffset) {
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
    private final ExecutorService senders;
    private final ScheduledExecutorService timers;
    private final EventReader reader = new EventReader();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, PartitionProgress> progress = new HashMap<>();
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<Integer, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Written> written = new ConcurrentLinkedQueue<>();
    private final Set<Integer> pausedForMemory = new HashSet<>();
    private long lastCommit;
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
        this.consumer = clients.groupConsumer(groupId, 500);
        metrics.bind(consumer);
        this.doneMarks = new DoneMarks(clients.partitionReader(groupId + "-done"), records.topics().deliveriesDone());
        this.writer = new DeliveryWriter(clients);
        this.senders = Executors.newFixedThreadPool(limits.senders(), named("herald-sender"));
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
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
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
                applyWritten();
                commit(false);
                pauseOrResume();
                pending = progress.values().stream().mapToInt(PartitionProgress::pendingCount).sum();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    dispatch(record);
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
            senders.shutdownNow();
            timers.shutdownNow();
            writer.stop(Duration.ofSeconds(10));
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        PartitionProgress partition = progress.get(record.partition());
        if (partition == null) {
            return;
        }
        int bytes = record.value() == null ? 0 : record.value().length;
        if (partition.doneBefore(record.offset())) {
            partition.skipped(record.offset());
            metrics.alreadyDone();
            return;
        }
        partition.read(record.offset(), bytes);
        Optional<DeliveryHeaders> headers = DeliveryHeaders.from(name -> DeliveryRecords.header(record.headers(), name));
        if (headers.isEmpty()) {
            unreadable(record, bytes, "the delivery record's headers are missing or malformed");
            return;
        }
        Optional<UniskaiEvent> event = record.value() == null ? Optional.empty() : reader.read(record.value());
        Optional<Destination> destination = routes.destinationByKey(headers.get().channel(), headers.get().destinationKey());
        Delivery delivery = new Delivery(headers.get(), destination.orElse(new Destination(headers.get().channel(), "",
                headers.get().destination())), record.value() == null ? new byte[0] : record.value());
        Optional<FoldRule> fold = routes.foldOf(headers.get().route());
        Pending pending = new Pending(record.partition(), record.offset(), delivery, event.orElse(null), fold, bytes);
        if (event.isEmpty()) {
            settle(deliverer.deadLetter(pending, "the event body is not readable"));
        } else if (destination.isEmpty()) {
            settle(deliverer.deadLetter(pending, "the destination " + headers.get().destination()
                    + " is no longer in the routes file"));
        } else if (!channels.containsKey(destination.get().channel())) {
            settle(deliverer.deadLetter(pending, "no channel named " + destination.get().channel()));
        } else {
            String key = destination.get().channel() + "/" + destination.get().key();
            lanes.computeIfAbsent(key, k -> new Lane(record.partition(), channels.get(destination.get().channel()).pace(),
                    owner, senders, timers)).add(pending);
        }
    }

    private void unreadable(ConsumerRecord<String, byte[]> record, int bytes, String reason) {
        metrics.unreadable(topic);
        LOG.errorf("Delivery record %s-%d@%d goes to the dead-letter topic: %s", record.topic(), record.partition(),
                record.offset(), reason);
        var mark = records.done(record.partition(), record.offset(), "unreadable@" + record.offset(), "dead");
        var dead = records.unreadable(record.key(), record.value(), Map.of(), reason, record.topic(), record.partition(),
                record.offset());
        // No delivery can be read from it: the pending entry only says which record is done.
        settle(new Settlement(List.of(new Pending(record.partition(), record.offset(), null, null, Optional.empty(),
                bytes)), List.of(mark), List.of(dead), Duration.ZERO));
    }

    /** What lanes report to the stage. */
    private final Lane.Owner owner = new Lane.Owner() {
        @Override
        public void taken(List<Pending> items) {
            inFlight.computeIfAbsent(items.get(0).partition(), p -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public Settlement attempt(List<Pending> items) {
            return deliverer.attempt(items);
        }

        @Override
        public void settled(Settlement settlement, Runnable written) {
            writer.write(settlement, (stored, markOffsets) -> {
                DeliveryStage.this.written(stored, markOffsets);
                written.run();
            });
        }
    };

    /** A settlement made on the poll thread (a dead letter): counted in flight like an attempt. */
    private void settle(Settlement settlement) {
        owner.taken(settlement.items());
        writer.write(settlement, this::written);
    }

    /** On the writer's thread: the settlement is stored; the poll thread applies it. */
    private void written(Settlement settlement, long[] markOffsets) {
        List<Pending> items = settlement.items();
        for (int i = 0; i < items.size(); i++) {
            Pending item = items.get(i);
            written.add(new Written(item.partition(), item.offset(), item.bytes(),
                    markOffsets == null ? Long.MAX_VALUE : markOffsets[i]));
        }
        AtomicInteger partitionInFlight = inFlight.get(items.get(0).partition());
        if (partitionInFlight != null) {
            partitionInFlight.decrementAndGet();
        }
    }

    private void applyWritten() {
        for (Written done; (done = written.poll()) != null; ) {
            PartitionProgress partition = progress.get(done.partition());
            if (partition != null) {
                partition.done(done.offset(), done.bytes(), done.markOffset());
            }
        }
    }

    private void commit(boolean now) {
        long time = System.nanoTime();
        if (!now && time - lastCommit < COMMIT_EVERY_NANOS) {
            return;
        }
        lastCommit = time;
        Map<TopicPartition, OffsetAndMetadata> offsets = offsetsToCommit(progress.keySet());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    LOG.debugf("Commit of %s failed (%s); the next one covers it", committed, error.getMessage());
                }
            });
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> offsetsToCommit(Collection<Integer> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int number : partitions) {
            PartitionProgress partition = progress.get(number);
            TopicPartition tp = new TopicPartition(topic, number);
            long before = partition.committed();
            long next = partition.advance(consumer.position(tp));
            if (next != before) {
                offsets.put(tp, new OffsetAndMetadata(next, partition.metadata()));
            }
        }
        return offsets;
    }

    private void pauseOrResume() {
        for (var entry : progress.entrySet()) {
            PartitionProgress partition = entry.getValue();
            TopicPartition tp = new TopicPartition(topic, entry.getKey());
            boolean full = partition.pendingCount() >= limits.maxPendingRecords()
                    || partition.pendingBytes() >= limits.maxPendingBytes();
            boolean roomy = partition.pendingCount() <= limits.maxPendingRecords() / 2
                    && partition.pendingBytes() <= limits.maxPendingBytes() / 2;
            if (full && pausedForMemory.add(entry.getKey())) {
                consumer.pause(List.of(tp));
                LOG.infof("Deliveries partition %d paused: %d deliveries (%d bytes) wait in memory", entry.getKey(),
                        partition.pendingCount(), partition.pendingBytes());
            } else if (roomy && pausedForMemory.remove(entry.getKey())) {
                consumer.resume(List.of(tp));
            }
        }
    }

    private void take(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        progress.putAll(doneMarks.load(partitions, committed));
        LOG.infof("Delivering for partitions %s of %s", partitions.stream().map(TopicPartition::partition).toList(), topic);
    }

    /**
     * The partitions go to another pod: stop their lanes, let the attempts in flight finish and be written, and
     * commit what is done ({@code commit} false when the partitions are already lost).
     */
    private void letGo(Collection<TopicPartition> partitions, boolean commit) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers = new HashSet<>();
        partitions.forEach(tp -> numbers.add(tp.partition()));
        for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
            Lane lane = it.next();
            if (numbers.contains(lane.partition())) {
                lane.close();
                it.remove();
            }
        }
        long deadline = System.nanoTime() + REVOKE_TIMEOUT.toNanos();
        while (numbers.stream().anyMatch(n -> inFlight.getOrDefault(n, new AtomicInteger()).get() > 0)
                && System.nanoTime() < deadline) {
            applyWritten();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        applyWritten();
        if (commit) {
            try {
                Map<TopicPartition, OffsetAndMetadata> offsets = offsetsToCommit(
                        numbers.stream().filter(progress::containsKey).toList());
                if (!offsets.isEmpty()) {
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                }
            } catch (RuntimeException e) {
                LOG.warnf("Could not commit the deliveries partitions %s on hand-over (%s); their done marks cover them",
                        numbers, e.getMessage());
            }
        }
        numbers.forEach(n -> {
            progress.remove(n);
            inFlight.remove(n);
            pausedForMemory.remove(n);
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
