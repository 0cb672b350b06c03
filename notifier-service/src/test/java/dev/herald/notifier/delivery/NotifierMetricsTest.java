package dev.herald.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.EventType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dev.herald.notifier.route.StubChannel;
import org.junit.jupiter.api.Test;

/** Every delivery counter the alerts and the dashboard read exists at 0 before the first delivery. */
class NotifierMetricsTest {

    /** The channels the counters are made for: whatever Channel beans exist. */
    private static final List<Channel> CHANNELS = List.of(StubChannel.named("email"), StubChannel.named("slack"));

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyChannelTypeAndOutcomeStartsAtZero() {
        new NotifierMetrics(registry, CHANNELS);

        List<String> types = new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::typeName).toList());
        types.add("unknown");
        for (String channel : List.of("email", "slack")) {
            for (String type : types) {
                for (String outcome : List.of("sent", "retrying", "dead")) {
                    assertThat(registry.get("herald.notifier.deliveries")
                            .tags("channel", channel, "type", type, "outcome", outcome).counter().count())
                            .as("%s %s %s", channel, type, outcome).isZero();
                }
            }
            assertThat(registry.get("herald.notifier.events.unrouted").tag("type", "unknown").counter().count()).isZero();
            assertThat(registry.get("herald.notifier.folds").tags("channel", channel, "type", "unknown").counter().count()).isZero();
        }
        assertThat(registry.find("herald.notifier.deliveries").counters()).hasSize(2 * types.size() * 3);
    }

    @Test
    void theFirstDeadLetterCountsOneOnTheCounterThatWasAlreadyThere() {
        NotifierMetrics metrics = new NotifierMetrics(registry, CHANNELS);
        Delivery delivery = Delivery.first("evt-1", "trial-period-ended", "ops",
                new Destination("slack", "https://hooks.slack.com/x", "https://hooks.slack.com/…"), null, null, new byte[0]);

        metrics.delivery(delivery, "dead");

        assertThat(registry.get("herald.notifier.deliveries")
                .tags("channel", "slack", "type", "trial-period-ended", "outcome", "dead").counter().count()).isEqualTo(1.0);
    }

    @Test
    void anAgeNoClockCouldGiveIsNotALatency() {
        NotifierMetrics metrics = new NotifierMetrics(registry, CHANNELS);

        // ce_time 0001-01-01 on a record: about 2,000 years, past what a timer's nanoseconds hold.
        metrics.endToEndLatency("email", java.time.Duration.between(java.time.Instant.parse("0001-01-01T00:00:00Z"),
                java.time.Instant.parse("2026-11-29T00:00:00Z")));
        metrics.endToEndLatency("email", java.time.Duration.ofSeconds(-5));
        metrics.endToEndLatency("email", java.time.Duration.ofMillis(40));

        assertThat(registry.get("herald.notifier.end_to_end.latency").tag("channel", "email").timer().count()).isEqualTo(1);
    }
}
