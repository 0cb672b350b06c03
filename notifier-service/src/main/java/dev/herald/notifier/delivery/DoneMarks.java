package dev.herald.notifier.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads, when this pod is given deliveries partitions, the done marks an earlier owner wrote for records at or after
 * the committed offset: the committed offset's metadata says where on the done partition of the same number they
 * start, so only the uncommitted range is read, never the topic's whole history.
 *
 * <p>Reading stops at the done partition's high watermark, not at its last stable offset: an owner killed in the
 * middle of a transaction leaves it open until the broker aborts it (the transaction timeout, 10 s), and the marks
 * that later owners committed after it are invisible to a read_committed reader until then. Stopping at the stable
 * offset would miss them and send all those deliveries again (seen: 79 emails doubled after two kills, the marks
 * of the owner in between hidden behind its killed predecessor's open transaction).
 */
final class DoneMarks {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DoneMarks.class);

    static final String METADATA_PREFIX = "done-from=";
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration WHILE_WAITING_EVERY = Duration.ofSeconds(1);

    private final KafkaConsumer<String, byte[]> reader;
    private final Admin admin;
    private final String doneTopic;

    /** {@code reader} reads committed records only; {@code admin} tells where each done partition ends. */
    DoneMarks(KafkaConsumer<String, byte[]> reader, Admin admin, String doneTopic) {
        this.reader = reader;
        this.admin = admin;
        this.doneTopic = doneTopic;
    }

    /** Ends a {@link #load} under way (it throws {@code WakeupException}): the stage is stopping. */
    void wakeup() {
        reader.wakeup();
    }

    void close() {
        try {
            reader.close(Duration.ofSeconds(5));
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /** The progress of each newly owned partition, its earlier owner's marks loaded. */
    Map<Integer, PartitionProgress> load(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
        return load(partitions, committed, () -> { });
    }

    /**
     * As {@link #load(Collection, Map)}; {@code whileWaiting} runs about once a second while the marks are not all
     * readable yet (the caller keeps its group membership confirmed meanwhile).
     */
    Map<Integer, PartitionProgress> load(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed,
            Runnable whileWaiting) {
        Map<Integer, PartitionProgress> loaded = new HashMap<>();
        if (partitions.isEmpty()) {
            return loaded;
        }
        int doneCount = reader.partitionsFor(doneTopic, LOAD_TIMEOUT).size();
        for (TopicPartition partition : partitions) {
            if (partition.partition() >= doneCount) {
                throw new IllegalStateException(partition.topic() + " has more partitions than " + doneTopic + " ("
                        + doneCount + "): a delivery's done mark goes to the partition of the same number, so both topics"
                        + " need the same count");
            }
        }
        Map<TopicPartition, Long> starts = new HashMap<>();
        Map<TopicPartition, Long> committedOffsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = committed.get(partition);
            committedOffsets.put(new TopicPartition(doneTopic, partition.partition()), offset == null ? 0 : offset.offset());
            starts.put(new TopicPartition(doneTopic, partition.partition()), marksFrom(offset));
        }
        List<TopicPartition> marks = List.copyOf(starts.keySet());
        reader.assign(marks);
        Map<TopicPartition, Long> ends = highWatermarks(marks);
        Map<TopicPartition, Long> stable = reader.endOffsets(marks, LOAD_TIMEOUT);
        if (!stable.equals(ends)) {
            LOG.infof("Done marks %s: reading up to %s, stable up to %s: waiting for open transactions to end (an earlier"
                    + " owner that died in one holds them until the broker aborts it)", marks, ends, stable);
        }
        Map<TopicPartition, Long> beginnings = reader.beginningOffsets(marks, LOAD_TIMEOUT);
        Map<TopicPartition, TreeMap<Long, String>> done = new HashMap<>();
        for (TopicPartition mark : marks) {
            done.put(mark, new TreeMap<>());
            reader.seek(mark, Math.max(starts.get(mark), beginnings.get(mark)));
        }
        // However many marks there are, reading goes on while it makes progress. A reader stuck for a whole minute
        // (a transaction that never ends) goes on with the marks it has: some deliveries may be sent again, which is
        // better than a partition no pod can ever take.
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        long nextCall = System.nanoTime() + WHILE_WAITING_EVERY.toNanos();
        while (marks.stream().anyMatch(mark -> reader.position(mark) < ends.get(mark))) {
            if (System.nanoTime() > deadline) {
                LOG.errorf("Done marks not all readable within %s (positions %s, ends %s): going on without the rest;"
                        + " deliveries an earlier owner finished may be sent again", LOAD_TIMEOUT,
                        marks.stream().map(reader::position).toList(), ends);
                break;
            }
            if (System.nanoTime() > nextCall) {
                whileWaiting.run();
                nextCall = System.nanoTime() + WHILE_WAITING_EVERY.toNanos();
            }
            var polled = reader.poll(Duration.ofMillis(200));
            if (!polled.isEmpty()) {
                deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
            }
            for (ConsumerRecord<String, byte[]> record : polled) {
                TopicPartition mark = new TopicPartition(record.topic(), record.partition());
                DoneMark.decode(record.value()).filter(m -> m.offset() >= committedOffsets.get(mark))
                        .ifPresent(m -> done.get(mark).put(m.offset(), m.outcome()));
            }
        }
        reader.assign(List.of());
        LOG.infof("Read the done marks of %s: %d deliveries an earlier owner finished beyond the committed offsets",
                marks, done.values().stream().mapToInt(Map::size).sum());
        for (TopicPartition mark : marks) {
            TreeMap<Long, String> doneBefore = done.get(mark);
            // With no earlier marks to keep, the next owner need only read what this pod writes from now on.
            long from = doneBefore.isEmpty() ? ends.get(mark) : starts.get(mark);
            loaded.put(mark.partition(), new PartitionProgress(committedOffsets.get(mark), from, doneBefore));
        }
        return loaded;
    }

    /** Where each done partition ends, open transactions included: every mark written or being written now. */
    private Map<TopicPartition, Long> highWatermarks(List<TopicPartition> marks) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        marks.forEach(mark -> latest.put(mark, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((mark, info) -> ends.put(mark, info.offset()));
            return ends;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while finding the end of " + marks, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not find the end of the done marks " + marks + ": " + e.getMessage(), e);
        }
    }

    private static long marksFrom(OffsetAndMetadata committed) {
        if (committed == null || committed.metadata() == null || !committed.metadata().startsWith(METADATA_PREFIX)) {
            return 0;
        }
        try {
            return Long.parseLong(committed.metadata().substring(METADATA_PREFIX.length()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
