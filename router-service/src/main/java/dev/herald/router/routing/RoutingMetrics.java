package dev.herald.router.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The router's own metrics (see docs/metrics.md). Counters are not part of Kafka transactions: after a crash the
 * records of an aborted transaction are routed again and counted again, so they may run slightly ahead.
 */
@ApplicationScoped
public class RoutingMetrics {

    private final MeterRegistry registry;
    private final Timer latency;

    public RoutingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("herald.router.routing.latency")
                .description("Time from receipt by the ingest (ce_time) to the record being routed")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
    }

    void routed(String topic, Duration sinceReceived) {
        Counter.builder("herald.router.records.routed")
                .description("Raw records written to a per-type topic")
                .tag("topic", topic)
                .register(registry).increment();
        if (!sinceReceived.isNegative()) {
            latency.record(sinceReceived);
        }
    }

    void deadLettered(DeadLetterReason reason) {
        Counter.builder("herald.router.records.dead_lettered")
                .description("Raw records the router could not route, by reason")
                .tag("reason", reason.code)
                .register(registry).increment();
    }

    void duplicateDropped(String matchedBy) {
        Counter.builder("herald.router.duplicates.dropped")
                .description("Raw records dropped as retries of an event already routed, by what matched")
                .tag("matched_by", matchedBy)
                .register(registry).increment();
    }
}
