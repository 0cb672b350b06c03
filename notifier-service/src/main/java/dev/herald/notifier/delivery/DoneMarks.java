package dev.herald.notifier.delivery;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads, when this pod is given deliveries partitions, the done marks an earlier owner wrote for records at or after
 * the committed offset: the committed offset's metadata says where on the done partition of the same number they
 * start, so only the uncommitted range is read, never the topic's whole history.
 */
final class DoneMarks {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DoneMarks.class);

    static final String METADATA_PREFIX = "done-from=";
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<String, byte[]> reader;
    private final String doneTopic;

    DoneMarks(KafkaConsumer<String, byte[]> reader, String doneTopic) {
        this.reader = reader;
        this.doneTopic = doneTopic;
    }

    /** The progress of each newly owned partition, its earlier owner's marks loaded. */
    Map<Integer, PartitionProgress> load(Collection<TopicPartition> partitions, Map<TopicPartition, OffsetAndMetadata> committed) {
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
        Map<TopicPartition, Long> ends = reader.endOffsets(marks, LOAD_TIMEOUT);
        Map<TopicPartition, Long> beginnings = reader.beginningOffsets(marks, LOAD_TIMEOUT);
        Map<TopicPartition, TreeMap<Long, String>> done = new HashMap<>();
        for (TopicPartition mark : marks) {
            done.put(mark, new TreeMap<>());
            reader.seek(mark, Math.max(starts.get(mark), beginnings.get(mark)));
        }
        // However many marks there are, reading goes on while it makes progress; only a reader stuck for a whole
        // minute gives up (and the stage turns unready, saying why).
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        while (marks.stream().anyMatch(mark -> reader.position(mark) < ends.get(mark))) {
            if (System.nanoTime() > deadline) {
                LOG.errorf("Done marks not read within %s: positions %s, ends %s", LOAD_TIMEOUT,
                        marks.stream().map(reader::position).toList(), ends);
                throw new IllegalStateException("could not read the done marks of " + marks + " within " + LOAD_TIMEOUT);
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
