package dev.herald.router.routing;

import dev.herald.events.Topics;
import dev.herald.router.config.RouterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;

/**
 * The router's own metrics (see docs/metrics.md). Counters are not part of Kafka transactions: after a crash the
 * records of an aborted transaction are routed again and counted again, so they may run slightly ahead.
 *
 * <p>Every counter exists at 0 from start-up (hence {@link Startup}): a counter that appears at 1 has no increase
 * for Prometheus, so the first dead letter after a restart would not alert.
 */
@Startup
@ApplicationScoped
public class RoutingMetrics {

    /** The tag values of {@code herald_router_duplicates_dropped_total}: what recognised the retry. */
    static final String BY_EVENT_ID = "event_id";
    static final String BY_BODY = "body";

    private final MeterRegistry registry;
    private final Timer latency;
    private final Counter idConflicts;

    @Inject
    public RoutingMetrics(MeterRegistry registry, RouterConfig config) {
        this(registry, new Topics(config.topicPrefix()));
    }

    RoutingMetrics(MeterRegistry registry, Topics topics) {
        this.registry = registry;
        this.latency = Timer.builder("herald.router.routing.latency")
                .description("Time from receipt by the ingest (ce_time) to the record being routed")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        topics.eventTopics().forEach(this::routedCounter);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetteredCounter(reason);
        }
        List.of(BY_EVENT_ID, BY_BODY).forEach(this::duplicatesCounter);
        this.idConflicts = Counter.builder("herald.router.id.conflicts")
                .description("Raw records dropped because their sender id was already routed with another body")
                .register(registry);
    }

    void routed(String topic, Duration sinceReceived) {
        routedCounter(topic).increment();
        if (!sinceReceived.isNegative()) {
            latency.record(sinceReceived);
        }
    }

    void deadLettered(DeadLetterReason reason) {
        deadLetteredCounter(reason).increment();
    }

    void duplicateDropped(String matchedBy) {
        duplicatesCounter(matchedBy).increment();
    }

    void idConflict() {
        idConflicts.increment();
    }

    private Counter routedCounter(String topic) {
        return Counter.builder("herald.router.records.routed")
                .description("Raw records written to a per-type topic")
                .tag("topic", topic)
                .register(registry);
    }

    private Counter deadLetteredCounter(DeadLetterReason reason) {
        return Counter.builder("herald.router.records.dead_lettered")
                .description("Raw records the router could not route, by reason")
                .tag("reason", reason.code)
                .register(registry);
    }

    private Counter duplicatesCounter(String matchedBy) {
        return Counter.builder("herald.router.duplicates.dropped")
                .description("Raw records dropped as retries of an event already routed, by what matched")
                .tag("matched_by", matchedBy)
                .register(registry);
    }
}
