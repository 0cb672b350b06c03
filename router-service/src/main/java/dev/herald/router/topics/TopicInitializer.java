package dev.herald.router.topics;

import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.router.config.RouterConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates the topics the router reads and writes when they are missing: the raw topic, one per documented type,
 * the unknown topic and the dead-letter topic, each with room for the largest accepted body ({@link RecordSizeLimits}).
 * Existing topics keep their partitions and settings, except a {@code max.message.bytes} too small for a body at the
 * limit, which is raised ({@link RecordLimitRaise}). Kafka Streams waits for them
 * ({@code quarkus.kafka-streams.topics}) before it starts. Where an operator owns topics (Strimzi
 * {@code KafkaTopic}), set {@code herald.router.topics.create=false}: the router then only checks their limits, and
 * logs an error for each topic that would refuse a body at the limit.
 */
@Singleton
class TopicInitializer {

    private static final Logger LOG = Logger.getLogger(TopicInitializer.class);

    void createMissingTopics(@Observes StartupEvent event, RouterConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Topics topics = new Topics(config.topicPrefix());
        List<String> wanted = new ArrayList<>();
        wanted.add(topics.raw());
        wanted.addAll(topics.eventTopics());
        wanted.add(topics.routerDeadLetter());
        RecordSizeLimits sizes = new RecordSizeLimits(topics);
        if (!config.router().topics().create()) {
            List<String> checked = new ArrayList<>(wanted);
            checked.add(topics.routerRekeyed());
            reportTooSmallLimits(kafkaConfig, checked, topics.raw(), sizes);
            return;
        }
        try (Admin admin = Admin.create(new KafkaClientSettings(kafkaConfig).connection())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream()
                    .filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, Optional.of(config.router().topics().partitions()),
                            Optional.of(config.router().topics().replicationFactor()))
                            .configs(sizes.topicConfig(topic)))
                    .toList();
            for (var creation : admin.createTopics(missing).values().entrySet()) {
                try {
                    creation.getValue().get(30, TimeUnit.SECONDS);
                    LOG.infof("Created topic %s", creation.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            List<String> present = wanted.stream().filter(existing::contains).toList();
            for (String topic : RecordLimitRaise.apply(admin, present, sizes)) {
                LOG.warnf("Raised max.message.bytes of topic %s to %d: it could not take a body at the limit", topic,
                        sizes.maxMessageBytes(topic));
            }
        } catch (Exception e) {
            // Kafka Streams still waits for the topics; an operator may create them. Say clearly what failed.
            LOG.errorf("Could not create the router's topics %s: %s", wanted, e.getMessage());
        }
    }

    /**
     * Where an operator owns the topics, says which of them would refuse a record carrying a body at the ingest's limit:
     * the ingest answers such a webhook 413 when the raw topic refuses it (and Uniskai does not retry), and the router
     * stops on it, at every restart, when any topic it writes to does.
     */
    private static void reportTooSmallLimits(Map<String, Object> kafkaConfig, List<String> checked, String raw,
            RecordSizeLimits sizes) {
        try (Admin admin = Admin.create(new KafkaClientSettings(kafkaConfig).connection())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> present = checked.stream().filter(existing::contains).toList();
            RecordLimitRaise.tooSmall(admin, present, sizes).forEach((topic, limit) -> LOG.errorf(
                    "Topic %s takes records of at most %s bytes; one carrying a body at the ingest's 1 MiB limit needs %d."
                            + " Set max.message.bytes to %d on it (spec.config of its KafkaTopic): %s", topic,
                    limit < 0 ? "an unknown number of" : String.valueOf(limit), sizes.maxMessageBytes(topic),
                    sizes.maxMessageBytes(topic), topic.equals(raw)
                            ? "until then the ingest refuses such webhooks with 413"
                            : "until then the router stops on the first such event, at every restart"));
        } catch (Exception e) {
            LOG.warnf("Could not check the max.message.bytes of the router's topics (%s); each must take %d bytes", e.getMessage(),
                    RecordSizeLimits.EVENT_RECORD_BYTES);
        }
    }
}
