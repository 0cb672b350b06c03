package dev.herald.notifier.delivery;

import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.notifier.config.NotifierConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Which deliveries were sent: a compacted topic keyed by delivery id, read whole by every notifier instance and
 * followed as it grows. A delivery is marked sent (and Kafka has acknowledged that) before the offset of its event is
 * committed, so a redelivered event or retry record finds it here and sends nothing twice. The one window left is a
 * crash between the send and the mark.
 */
@ApplicationScoped
public class SentLedger {

    private static final Logger LOG = Logger.getLogger(SentLedger.class);

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, String> consumer;
    private final DeliveryRecords records;
    private final Duration retention;
    private final String topic;
    private final Admin admin;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private Thread reader;

    SentLedger(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, NotifierConfig config,
            DeliveryRecords records) {
        KafkaClientSettings kafka = new KafkaClientSettings(kafkaConfig);
        Map<String, Object> consumerConfig = kafka.all();
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-notifier-ledger");
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        this.admin = Admin.create(kafka.connection());
        this.records = records;
        this.retention = config.notifier().sentRetention();
        this.topic = new Topics(config.topicPrefix()).deliveriesDone();
    }

    /** Reads the ledger up to its current end, then follows it in the background. */
    public void start() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            poll();
        }
        running.set(true);
        reader = new Thread(this::follow, "herald-sent-ledger");
        reader.setDaemon(true);
        reader.start();
        LOG.infof("Sent ledger loaded: %d deliveries remembered", sentAt.size());
    }

    public boolean isSent(String deliveryId) {
        Long at = sentAt.get(deliveryId);
        return at != null && at > System.currentTimeMillis() - retention.toMillis();
    }

    /** Records the delivery as sent, here and in Kafka, before the caller commits the offset that led to it. */
    public void markSent(String deliveryId) {
        Instant now = Instant.now();
        sentAt.put(deliveryId, now.toEpochMilli());
        records.sent(deliveryId, now);
    }

    /**
     * Waits until this instance has read every mark written before now: called when partitions are assigned, so an
     * event whose delivery another instance sent just before it died is recognised.
     */
    public void catchUp(Duration timeout) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        positions.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> end = new HashMap<>();
        try {
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> end.put(tp, info.offset()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end of the sent ledger " + topic, e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (end.entrySet().stream().anyMatch(e -> positions.getOrDefault(e.getKey(), 0L) < e.getValue())) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new IllegalStateException("the sent ledger did not catch up within " + timeout);
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void follow() {
        try {
            while (running.get()) {
                poll();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void poll() {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
            if (record.value() == null) {
                sentAt.remove(record.key());
            } else {
                sentAt.merge(record.key(), Long.parseLong(record.value()), Math::max);
            }
        }
        Map<TopicPartition, Long> current = new HashMap<>();
        consumer.assignment().forEach(tp -> current.put(tp, consumer.position(tp)));
        synchronized (this) {
            positions = current;
            notifyAll();
        }
        sentAt.values().removeIf(at -> at < System.currentTimeMillis() - retention.toMillis());
    }

    @PreDestroy
    void stop() {
        running.set(false);
        consumer.wakeup();
        admin.close(Duration.ofSeconds(5));
    }
}
