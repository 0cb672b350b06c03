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
 * {@code KafkaTopic}), set {@code herald.router.topics.create=false}.
 */
@Singleton
class TopicInitializer {

    private static final Logger LOG = Logger.getLogger(TopicInitializer.class);

    void createMissingTopics(@Observes StartupEvent event, RouterConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        if (!config.router().topics().create()) {
            return;
        }
        Topics topics = new Topics(config.topicPrefix());
        List<String> wanted = new ArrayList<>();
        wanted.add(topics.raw());
        wanted.addAll(topics.eventTopics());
        wanted.add(topics.routerDeadLetter());
        RecordSizeLimits sizes = new RecordSizeLimits(topics);
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
}
