package dev.herald.console.journey;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.console.config.ConsoleConfig;
import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads every topic Herald writes from its beginning into the {@link JourneyIndex}, then follows them. A consumer
 * without a group: the console commits nothing, creates no topic, and after a restart reads the topics again, so
 * the journeys are kept exactly as long as the topics keep their records.
 */
@Singleton
public class TopicFollower {

    private static final Logger LOG = Logger.getLogger(TopicFollower.class);

    private final JourneyIndex index = new JourneyIndex();
    private final KafkaConsumer<String, byte[]> consumer;
    private final StepReader reader;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Map<TopicPartition, Long> catchUpTo;
    private volatile boolean caughtUp;
    private volatile String problem = "not started";
    private Thread thread;

    TopicFollower(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ConsoleConfig config,
            ObjectMapper mapper) {
        Map<String, Object> consumerConfig = new KafkaClientSettings(kafkaConfig).all();
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // What the router and notifier committed, not what an aborted transaction left behind.
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "herald-console-follower");
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        this.reader = new StepReader(new Topics(config.topicPrefix()), config.console().maxBodyChars(), mapper);
    }

    @Produces
    JourneyIndex index() {
        return index;
    }

    void start(@Observes StartupEvent event) {
        running.set(true);
        thread = new Thread(this::follow, "herald-console-follower");
        thread.setDaemon(true);
        thread.start();
    }

    /** True once every record that was on the topics when the console started is in the index. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Why it has not caught up, when it has not. */
    public String problem() {
        return problem;
    }

    private void follow() {
        try {
            while (running.get() && !assign()) {
                Thread.sleep(1000);
            }
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    reader.read(record).ifPresent(index::add);
                }
                if (!caughtUp && catchUpTo.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                    problem = null;
                    LOG.infof("Read Herald's topics: %d events", index.size());
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Assigns every partition of every followed topic, from the beginning; false while a topic is missing. */
    private boolean assign() {
        List<TopicPartition> partitions = new ArrayList<>();
        try {
            for (String topic : reader.followed()) {
                var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos == null || infos.isEmpty()) {
                    problem = "topic " + topic + " does not exist yet";
                    return false;
                }
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
        } catch (RuntimeException e) {
            problem = "Kafka did not answer: " + e.getMessage();
            LOG.debugf("Cannot list Herald's topics yet: %s", e.toString());
            return false;
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        catchUpTo = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        problem = "reading Herald's topics";
        return true;
    }

    void stop(@Observes ShutdownEvent event) {
        running.set(false);
        consumer.wakeup();
    }
}
