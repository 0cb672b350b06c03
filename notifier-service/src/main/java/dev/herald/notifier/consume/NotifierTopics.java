package dev.herald.notifier.consume;

import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The notifier's own topics: created when missing (deliveries and done marks with
 * {@link Topics#DELIVERY_PARTITIONS} partitions each, dead letters, outcomes), and checked at every start: the done
 * marks must have as many partitions as the deliveries, since a delivery's mark goes to the partition of the same
 * number.
 */
final class NotifierTopics {

    private NotifierTopics() {
    }

    static void createMissing(Admin admin, Topics topics, Duration retention) {
        RecordSizeLimits sizes = new RecordSizeLimits(topics);
        Map<String, String> delivery = new HashMap<>(sizes.topicConfig(topics.deliveries()));
        delivery.put("retention.ms", String.valueOf(retention.toMillis()));
        List<NewTopic> wanted = List.of(
                new NewTopic(topics.deliveries(), Optional.of(Topics.DELIVERY_PARTITIONS), Optional.empty()).configs(delivery),
                new NewTopic(topics.deliveriesDone(), Optional.of(Topics.DELIVERY_PARTITIONS), Optional.empty())
                        .configs(Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(retention.toMillis()))),
                new NewTopic(topics.notifierDeadLetter(), Optional.of(3), Optional.empty())
                        .configs(sizes.topicConfig(topics.notifierDeadLetter())),
                new NewTopic(topics.outcomes(), Optional.of(3), Optional.empty()));
        try {
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
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("Kafka did not answer while creating the notifier's topics", e);
        }
    }

    /** @throws IllegalStateException naming both topics when their partition counts differ */
    static void checkCoPartitioned(Admin admin, Topics topics) {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(topics.deliveries(), topics.deliveriesDone()))
                    .allTopicNames().get(60, TimeUnit.SECONDS);
            int deliveries = described.get(topics.deliveries()).partitions().size();
            int done = described.get(topics.deliveriesDone()).partitions().size();
            if (deliveries != done) {
                throw new IllegalStateException("The topics " + topics.deliveries() + " (" + deliveries + " partitions) and "
                        + topics.deliveriesDone() + " (" + done + ") must have the same number of partitions: a delivery's"
                        + " done mark goes to the partition of the same number. Give them the same count.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topics.deliveries() + " and " + topics.deliveriesDone()
                    + " (do they exist?): " + e.getMessage(), e);
        }
    }
}
