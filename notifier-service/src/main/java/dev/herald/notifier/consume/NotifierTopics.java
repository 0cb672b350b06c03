package dev.herald.notifier.consume;

import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the notifier's own topics when they are missing: retries and dead letters (with room for a body escaped
 * inside a delivery, {@link RecordSizeLimits}), outcomes, and the sent ledger, which is compacted (one record per delivery) and forgets after the ledger's retention.
 */
final class NotifierTopics {

    private NotifierTopics() {
    }

    static void createMissing(Map<String, Object> kafkaConfig, Topics topics, Duration sentRetention) {
        RecordSizeLimits sizes = new RecordSizeLimits(topics);
        List<NewTopic> wanted = List.of(
                new NewTopic(topics.deliveries(), Optional.of(3), Optional.empty())
                        .configs(sizes.topicConfig(topics.deliveries())),
                new NewTopic(topics.notifierDeadLetter(), Optional.of(3), Optional.empty())
                        .configs(sizes.topicConfig(topics.notifierDeadLetter())),
                new NewTopic(topics.outcomes(), Optional.of(3), Optional.empty()),
                new NewTopic(topics.deliveriesDone(), Optional.of(3), Optional.empty()).configs(Map.of(
                        "cleanup.policy", "compact,delete",
                        "retention.ms", String.valueOf(sentRetention.toMillis()))));
        try (Admin admin = Admin.create(new KafkaClientSettings(kafkaConfig).connection())) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
            for (var creation : admin.createTopics(missing).values().values()) {
                try {
                    creation.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create the notifier's topics: " + e.getCause().getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException | ExecutionException e) {
            throw new IllegalStateException("Kafka did not answer while creating the notifier's topics", e);
        }
    }
}
