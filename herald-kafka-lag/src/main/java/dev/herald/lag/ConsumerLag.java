package dev.herald.lag;

import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.lag.ConsumerLagGauges.GroupTopic;
import dev.herald.lag.ConsumerLagGauges.Lag;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures a group's lag on a topic from its committed offsets (Admin API) and the timestamp of the first record it
 * has not processed (a group-less {@code read_committed} consumer, so transaction markers and aborted records do not
 * count). Throws when Kafka does not answer in time, never guesses.
 */
final class ConsumerLag implements Measurements.Measure<GroupTopic, Lag> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final Clock clock;

    /** {@code kafkaConfig}: every client setting of the service (address, security), as Quarkus gathers them. */
    ConsumerLag(Map<String, Object> kafkaConfig, Clock clock) {
        this.clock = clock;
        Map<String, Object> connection = new KafkaClientSettings(kafkaConfig).connection();
        Map<String, Object> adminConfig = new HashMap<>(connection);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-lag-admin");
        this.admin = Admin.create(adminConfig);
        // Address and security only, no group: reading the records must not move, or join, the measured group.
        Map<String, Object> readerConfig = new HashMap<>(connection);
        readerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-lag-reader");
        // A committed offset below the log start (retention deleted it) reads from the oldest record left, not the end.
        readerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        readerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        readerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        readerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        this.reader = new KafkaConsumer<>(readerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public Lag of(GroupTopic groupTopic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupTopic.group())
                .partitionsToOffsetAndMetadata().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        reader.partitionsFor(groupTopic.topic(), TIMEOUT)
                .forEach(info -> latest.put(new TopicPartition(groupTopic.topic(), info.partition()), OffsetSpec.latest()));
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        long records = 0;
        long oldest = Long.MAX_VALUE;
        for (var end : ends.entrySet()) {
            TopicPartition partition = end.getKey();
            OffsetAndMetadata offset = committed.get(partition);
            // A group that never committed on a partition has every record of it still to do.
            long position = offset == null ? beginning(partition) : offset.offset();
            if (position >= end.getValue().offset()) {
                continue;
            }
            ConsumerRecord<byte[], byte[]> next = firstRecordFrom(partition, position, end.getValue().offset());
            if (next != null) {
                records += end.getValue().offset() - next.offset();
                oldest = Math.min(oldest, next.timestamp());
            }
        }
        double seconds = oldest == Long.MAX_VALUE ? 0 : Math.max(0, (clock.millis() - oldest) / 1000.0);
        return new Lag(records, seconds);
    }

    private long beginning(TopicPartition partition) {
        return reader.beginningOffsets(List.of(partition), TIMEOUT).get(partition);
    }

    /**
     * The first data record at or after {@code offset}; null when only transaction markers or aborted records lie
     * before {@code end}. Throws when the records could not be fetched: "caught up" is not an answer to a timeout.
     */
    private ConsumerRecord<byte[], byte[]> firstRecordFrom(TopicPartition partition, long offset, long end)
            throws TimeoutException {
        reader.assign(List.of(partition));
        reader.seek(partition, offset);
        long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
        while (reader.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("no record of " + partition + " fetched within " + FETCH_TIMEOUT);
            }
            var records = reader.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                return records.records(partition).get(0);
            }
        }
        return null;
    }

    @Override
    public void close() {
        reader.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
