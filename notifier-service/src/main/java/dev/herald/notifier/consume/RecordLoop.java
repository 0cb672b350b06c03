package dev.herald.notifier.consume;

import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.notifier.delivery.SentLedger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * A consumer on its own thread that handles records one by one and commits each record's offset once it is handled.
 * A record whose handling fails (Kafka could not store a retry, say) is not committed: its partition is rewound to
 * it and tried again after a pause, so nothing is skipped silently, and the other partitions go on.
 */
abstract class RecordLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(RecordLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(2);

    /**
     * What every loop needs: its topic, its group, the client settings, the ledger to catch up on assignment, and
     * the registry its consumer's metrics go to.
     */
    record Settings(String topic, String groupId, Map<String, Object> kafkaConfig, SentLedger ledger,
            MeterRegistry registry) {
    }

    protected final KafkaConsumer<String, byte[]> consumer;
    private final Settings settings;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaClientMetrics metrics;
    private volatile boolean pausedByOperator;
    private volatile Thread thread;

    RecordLoop(Settings settings) {
        this.settings = settings;
        Map<String, Object> config = new KafkaClientSettings(settings.kafkaConfig()).all();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        // A notifier that died hands its partitions over after this long (Kafka's default is 45 s).
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 15_000);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.metrics = new KafkaClientMetrics(consumer);
        this.metrics.bindTo(settings.registry());
    }

    /**
     * Stops consuming (the group keeps its partitions) until {@link #resume()}, for maintenance of a peer. Returns once
     * the loop has paused: no record written after that is handled before the resume.
     */
    void pause() {
        pausedByOperator = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!operatorPauseApplied && isHealthy() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(10));
        }
    }

    void resume() {
        pausedByOperator = false;
    }

    String topic() {
        return settings.topic();
    }

    String groupId() {
        return settings.groupId();
    }

    /** Running, and holding at least one partition or waiting for the group to give it one. */
    boolean isHealthy() {
        Thread current = thread;
        return running.get() && current != null && current.isAlive();
    }

    void start() {
        thread = new Thread(this, "herald-" + settings.groupId());
        thread.start();
    }

    void stop() {
        running.set(false);
        consumer.wakeup();
        Thread current = thread;
        if (current != null) {
            try {
                current.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Handles one record; false leaves it uncommitted and stops its partition for this poll (it is not due yet). */
    protected abstract boolean handle(ConsumerRecord<String, byte[]> record);

    /** Called before each poll; a loop that pauses partitions resumes them here. */
    protected void beforePoll() {
    }

    protected void onRevoked(Collection<TopicPartition> partitions) {
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(settings.topic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    onRevoked(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    settings.ledger().catchUp(Duration.ofSeconds(60));
                }
            });
            while (running.get()) {
                if (pausedByOperator) {
                    consumer.pause(consumer.assignment());
                    operatorPauseApplied = true;
                } else {
                    beforePoll();
                    resumeOperatorPause();
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                for (TopicPartition partition : records.partitions()) {
                    handlePartition(partition, records.records(partition));
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Consumer %s of %s stopped", settings.groupId(), settings.topic());
            running.set(false);
        } finally {
            metrics.close();
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private volatile boolean operatorPauseApplied;

    private void resumeOperatorPause() {
        if (operatorPauseApplied) {
            consumer.resume(consumer.assignment());
        }
        operatorPauseApplied = false;
    }

    private void handlePartition(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
        long last = records.get(records.size() - 1).offset();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (!running.get() || consumer.paused().contains(partition)) {
                return;
            }
            try {
                if (!handle(record)) {
                    return;
                }
                // After a partition's last record, commit the position: it is past the transaction markers the
                // router writes, so a caught-up group shows a lag of 0, not 1.
                long next = record.offset() == last ? Math.max(record.offset() + 1, consumer.position(partition)) : record.offset() + 1;
                consumer.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
            } catch (WakeupException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.errorf(e, "Could not handle %s-%d@%d; trying it again in %d s", partition.topic(),
                        partition.partition(), record.offset(), PAUSE_AFTER_FAILURE.toSeconds());
                consumer.seek(partition, record.offset());
                sleep(PAUSE_AFTER_FAILURE);
                return;
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
