package dev.herald.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** Every counter the alerts and the dashboard read exists at 0 before anything happens. */
class RoutingMetricsTest {

    private static final Topics TOPICS = Topics.withDefaultPrefix();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void deadLettersDuplicatesAndRoutedRecordsStartAtZero() {
        new RoutingMetrics(registry, TOPICS);

        for (DeadLetterReason reason : DeadLetterReason.values()) {
            assertThat(count("herald.router.records.dead_lettered", "reason", reason.code)).isZero();
        }
        assertThat(count("herald.router.duplicates.dropped", "matched_by", "event_id")).isZero();
        assertThat(count("herald.router.duplicates.dropped", "matched_by", "body")).isZero();
        assertThat(registry.get("herald.router.id.conflicts").counter().count()).isZero();
        for (String topic : TOPICS.eventTopics()) {
            assertThat(count("herald.router.records.routed", "topic", topic)).isZero();
        }
    }

    @Test
    void theFirstDeadLetterCountsOneOnTheCounterThatWasAlreadyThere() {
        RoutingMetrics metrics = new RoutingMetrics(registry, TOPICS);

        metrics.deadLettered(DeadLetterReason.MALFORMED_BODY);

        assertThat(count("herald.router.records.dead_lettered", "reason", "malformed-body")).isEqualTo(1.0);
        assertThat(count("herald.router.records.dead_lettered", "reason", "missing-event-id")).isZero();
        assertThat(registry.find("herald.router.records.dead_lettered").counters()).hasSize(DeadLetterReason.values().length);
    }

    private double count(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }
}
