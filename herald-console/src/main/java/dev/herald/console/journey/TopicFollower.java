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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads every topic Herald writes from its beginning into the {@link JourneyIndex}, then follows them. A consumer
 * without a group: the console commits nothing, creates no topic, and after a restart reads the topics again. A
 * journey is let go once its newest step is older than the longest retention of those topics (Kafka has deleted, or
 * is about to delete, its records), so journeys are kept as long as the topics keep them, within the index's budget
 * (herald.console.index-budget, sized to its volume). The journeys are on disk ({@link JourneyIndex}), not in the heap.
 */
@Singleton
public class TopicFollower {

    private static final Logger LOG = Logger.getLogger(TopicFollower.class);

    private final JourneyIndex index;
    private final long budget;
    private volatile long forgottenToFit;
    private final KafkaConsumer<String, byte[]> consumer;
    private final StepReader reader;
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, Object> adminConfig;
    /** The longest retention of the followed topics; null: one keeps its records for good, or Kafka did not say. */
    private volatile Duration retention;
    private long lastSweep = System.nanoTime();
    private volatile Map<TopicPartition, Long> catchUpTo;
    private volatile boolean caughtUp;
    private volatile String problem = "not started";
    private volatile boolean failed;
    private Thread thread;

    TopicFollower(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ConsoleConfig config,
            ObjectMapper mapper) {
        this.adminConfig = new KafkaClientSettings(kafkaConfig).connection();
        this.index = JourneyIndex.open(config.console().indexDir());
        this.budget = config.console().indexBudget().asLongValue();
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

    /** The longest retention of Herald's topics, after which journeys are let go; empty when they keep records for good. */
    public Optional<Duration> retention() {
        return Optional.ofNullable(retention);
    }

    /** Journeys let go since the start, before their records' retention ran out, to stay within the index budget. */
    public long forgottenToFit() {
        return forgottenToFit;
    }

    /** True once it has stopped following the topics on an error (or its thread is gone): only a restart brings it back. */
    public boolean failed() {
        Thread current = thread;
        return failed || running.get() && current != null && !current.isAlive();
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
                sweepWhenDue();
                fitWithinBudget();
                if (!caughtUp && catchUpTo.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    index.clearMarks();
                    caughtUp = true;
                    problem = null;
                    LOG.infof("Read Herald's topics: %d events", index.size());
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } catch (RuntimeException | Error e) {
            if (!running.get()) {
                return; // stopping: the index is closed under it
            }
            // A full disk, say: the console stops following and says so, unready and then not live (restarted, with
            // its index emptied), rather than show a past.
            caughtUp = false;
            failed = true;
            problem = "stopped following Herald's topics: " + e.getMessage();
            LOG.errorf(e, "Stopped following Herald's topics; the console turns unready");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Once a minute, once the topics have been read (the raw topic may be read ahead of the others: a journey let go
     * during that first read could come back as a fragment from its later steps).
     */
    private void sweepWhenDue() {
        long now = System.nanoTime();
        Duration kept = retention;
        if (!caughtUp || kept == null || now - lastSweep < SWEEP_EVERY.toNanos()) {
            return;
        }
        lastSweep = now;
        int forgotten = index.forget(Instant.now().minus(kept));
        if (forgotten > 0) {
            LOG.debugf("Let %d journeys go: the topics' retention has deleted their records", forgotten);
        }
    }

    /**
     * Lets the journeys that moved least recently go once the index passes its budget, down to 90% of it. During the
     * first read the topics are read at different paces, so each journey let go is marked and its later steps are
     * dropped until the read is done: alone they would make a fragment (a dead letter without the replay that
     * followed it, looking dead again).
     */
    private void fitWithinBudget() {
        if (index.storedBytes() <= budget) {
            return;
        }
        int forgotten = index.forgetToFit(budget - budget / 10, !caughtUp);
        forgottenToFit += forgotten;
        LOG.warnf("Let %d journeys go before their records' retention ran out, to keep the index within"
                + " herald.console.index-budget (%d bytes); %d so far", forgotten, budget, forgottenToFit);
    }

    /** The longest retention.ms of the followed topics; null when one keeps its records for good or Kafka does not say. */
    private static Duration longestRetention(Map<String, Object> adminConfig, List<String> topics) {
        Admin admin = Admin.create(adminConfig);
        try {
            List<ConfigResource> resources = topics.stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
            long longest = 0;
            for (var config : admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS).values()) {
                var entry = config.get(TopicConfig.RETENTION_MS_CONFIG);
                long millis = entry == null || entry.value() == null ? -1 : Long.parseLong(entry.value());
                if (millis < 0) {
                    return null;
                }
                longest = Math.max(longest, millis);
            }
            return Duration.ofMillis(longest);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warnf("Cannot read the retention of Herald's topics (%s; the console needs DescribeConfigs on them):"
                    + " journeys are kept until the console restarts", e.getMessage());
            return null;
        } finally {
            admin.close(Duration.ofSeconds(5));
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
        retention = longestRetention(adminConfig, reader.followed());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        catchUpTo = new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(30)));
        problem = "reading Herald's topics";
        return true;
    }

    void stop(@Observes ShutdownEvent event) {
        running.set(false);
        consumer.wakeup();
        Thread current = thread;
        if (current != null) {
            try {
                current.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        index.close();
    }
}
