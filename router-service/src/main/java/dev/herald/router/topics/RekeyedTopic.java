package dev.herald.router.topics;

import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.router.config.RouterConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * The rekeyed topic must have exactly the raw topic's partitions: a record re-keyed to it meets the raw records of
 * its key only if the same key picks the same partition number in both. At start-up, after {@link TopicInitializer}
 * (so the raw topic exists when the router creates topics), this creates it when it is missing and
 * {@code herald.router.topics.create} is on, with the raw topic's partition count and record size limit; and it stops
 * the start-up when both exist with different counts: deduplication would silently miss copies.
 */
@Singleton
class RekeyedTopic {

    private static final Logger LOG = Logger.getLogger(RekeyedTopic.class);
    private static final Duration CREATED_TOPIC_VISIBLE = Duration.ofSeconds(30);

    void createOrCheck(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event, RouterConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Topics topics = new Topics(config.topicPrefix());
        Optional<Integer> raw;
        Optional<Integer> rekeyed;
        boolean create = config.router().topics().create();
        try (Admin admin = Admin.create(new KafkaClientSettings(kafkaConfig).connection())) {
            // Just created, a topic can take a moment to be known to the broker that answers.
            raw = partitions(admin, topics.raw(), create ? CREATED_TOPIC_VISIBLE : Duration.ZERO);
            rekeyed = partitions(admin, topics.routerRekeyed(), Duration.ZERO);
            if (create && rekeyed.isEmpty()) {
                if (raw.isEmpty()) {
                    LOG.errorf("Could not create the topic %s: %s, whose partitions it must have, does not exist",
                            topics.routerRekeyed(), topics.raw());
                    return;
                }
                Optional<Short> replicas = Optional.of(config.router().topics().replicationFactor());
                create(admin, new NewTopic(topics.routerRekeyed(), raw, replicas).configs(recordSizeOf(admin, topics.raw())));
                return;
            }
        } catch (Exception e) {
            // Kafka Streams still waits for the topic; an operator may create it. Say clearly what failed.
            LOG.errorf("Could not check or create the topic %s: %s", topics.routerRekeyed(), e.getMessage());
            return;
        }
        if (raw.isPresent() && rekeyed.isPresent() && !raw.equals(rekeyed)) {
            throw new IllegalStateException(("%s has %d partitions and %s has %d: they must have the same number, or"
                    + " copies of an event that arrive under different keys are not deduplicated")
                    .formatted(topics.raw(), raw.get(), topics.routerRekeyed(), rekeyed.get()));
        }
    }

    /** The topic's partition count, asking again for up to {@code patience} while the topic is unknown. */
    private static Optional<Integer> partitions(Admin admin, String topic, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topic);
                return Optional.of(description.partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    return Optional.empty();
                }
                Thread.sleep(200);
            }
        }
    }

    /** The raw topic's record size limit: the rekeyed topic carries its records as they are. */
    private static Map<String, String> recordSizeOf(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        ConfigEntry maxMessageBytes = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        return maxMessageBytes == null || maxMessageBytes.value() == null ? Map.of()
                : Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessageBytes.value());
    }

    private static void create(Admin admin, NewTopic topic) throws Exception {
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created topic %s with %d partitions, as many as the raw topic", topic.name(), topic.numPartitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
