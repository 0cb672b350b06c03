package dev.herald.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.EventType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every webhook counter the alerts and the dashboard read exists at 0 before the first webhook. */
class IngestMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void everyOutcomeAndTypeStartsAtZero() {
        new IngestMetrics(registry);

        List<String> types = new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::typeName).toList());
        types.addAll(List.of("unknown", "none"));
        for (IngestMetrics.Outcome outcome : IngestMetrics.Outcome.values()) {
            for (String type : types) {
                assertThat(received(outcome.tag(), type)).as("%s %s", outcome, type).isZero();
            }
        }
        assertThat(registry.find("herald.webhooks.received").counters())
                .hasSize(IngestMetrics.Outcome.values().length * types.size());
    }

    @Test
    void theFirst503CountsOneOnTheCounterThatWasAlreadyThere() {
        IngestMetrics metrics = new IngestMetrics(registry);

        metrics.count(IngestMetrics.Outcome.UNAVAILABLE, "spot-recreated");

        assertThat(received("unavailable", "spot-recreated")).isEqualTo(1.0);
        assertThat(received("unavailable", "none")).isZero();
    }

    private double received(String outcome, String type) {
        return registry.get("herald.webhooks.received").tags("outcome", outcome, "type", type).counter().count();
    }
}
