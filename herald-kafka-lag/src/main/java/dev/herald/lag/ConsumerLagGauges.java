package dev.herald.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
import org.jboss.logging.Logger;

/**
 * Consumer lag of some consumer groups, per topic, as two gauges: {@code herald_consumer_lag_records} and
 * {@code herald_consumer_lag_seconds}, the age of the oldest record the group has not processed yet. "The spot topic
 * is 4 minutes behind" tells whoever is on call more than "5,000 records behind".
 *
 * <p>Computed from the groups' committed offsets and the records' timestamps through the Admin API and a group-less
 * consumer, on a timer of its own: it reads 0 when a group is caught up and keeps rising while the group's consumers
 * are stopped or stuck, which a metric from inside those consumers cannot do.
 */
public final class ConsumerLagGauges implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsumerLagGauges.class);

    /** A consumer group and the topic it consumes. */
    public record GroupTopic(String group, String topic) {
    }

    /** Lag of one group on one topic. */
    public record Lag(long records, double seconds) {
        static final Lag NONE = new Lag(0, 0);
    }

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final List<GroupTopic> watched;
    private final Clock clock;
    private final Map<GroupTopic, Lag> lags = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    public ConsumerLagGauges(String bootstrapServers, List<GroupTopic> watched, MeterRegistry registry,
            Duration interval) {
        this(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), watched, registry, interval, Clock.systemUTC());
    }

    ConsumerLagGauges(Map<String, Object> clientConfig, List<GroupTopic> watched, MeterRegistry registry,
            Duration interval, Clock clock) {
        this.watched = List.copyOf(watched);
        this.clock = clock;
        Map<String, Object> adminConfig = new HashMap<>(clientConfig);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-lag-admin");
        this.admin = Admin.create(adminConfig);
        Map<String, Object> readerConfig = new HashMap<>(clientConfig);
        readerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-lag-reader");
        readerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        readerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        readerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        this.reader = new KafkaConsumer<>(readerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (GroupTopic groupTopic : this.watched) {
            lags.put(groupTopic, Lag.NONE);
            Gauge.builder("herald.consumer.lag.records", lags, all -> all.getOrDefault(groupTopic, Lag.NONE).records())
                    .description("Records of the topic the consumer group has not processed yet")
                    .tag("group", groupTopic.group()).tag("topic", groupTopic.topic())
                    .register(registry);
            Gauge.builder("herald.consumer.lag.seconds", lags, all -> all.getOrDefault(groupTopic, Lag.NONE).seconds())
                    .description("Age of the oldest record of the topic the consumer group has not processed yet")
                    .tag("group", groupTopic.group()).tag("topic", groupTopic.topic())
                    .register(registry);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "herald-consumer-lag");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void refresh() {
        for (GroupTopic groupTopic : watched) {
            try {
                lags.put(groupTopic, measure(groupTopic));
            } catch (Exception e) {
                // Keep the last value: a missing scrape is better than a lag that drops to 0 while Kafka is away.
                LOG.debugf("Could not measure the lag of %s on %s: %s", groupTopic.group(), groupTopic.topic(), e.getMessage());
            }
        }
    }

    private Lag measure(GroupTopic groupTopic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupTopic.group())
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        reader.partitionsFor(groupTopic.topic(), Duration.ofSeconds(10))
                .forEach(info -> latest.put(new TopicPartition(groupTopic.topic(), info.partition()), OffsetSpec.latest()));
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(10, TimeUnit.SECONDS);
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
        return reader.beginningOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
    }

    /** The first data record at or after {@code offset}; null when only transaction markers lie before {@code end}. */
    private ConsumerRecord<byte[], byte[]> firstRecordFrom(TopicPartition partition, long offset, long end) {
        reader.assign(List.of(partition));
        reader.seek(partition, offset);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && reader.position(partition) < end) {
            var records = reader.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                return records.records(partition).get(0);
            }
        }
        return null;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reader.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
