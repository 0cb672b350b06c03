package dev.herald.ingest.webhook;

import dev.herald.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest's own metrics (see docs/metrics.md): webhooks by outcome and type, and how long Kafka takes to
 * acknowledge. Undocumented types share the tag value {@code unknown}, so a sender cannot grow the label set.
 *
 * <p>Every outcome and type exists at 0 from start-up (hence {@link Startup}): a counter that appears at 1 has no
 * increase for Prometheus, so the first 503 after a restart would not alert.
 */
@Startup
@ApplicationScoped
class IngestMetrics {

    /** Why a webhook was answered the way it was; the tag values of {@code herald_webhooks_received_total}. */
    enum Outcome {
        ACCEPTED, UNAUTHORIZED, MALFORMED, INVALID, TOO_LARGE, UNSUPPORTED_MEDIA_TYPE, BAD_EVENT_ID, UNAVAILABLE,
        /** The client went away before the answer; the event may still have been stored (its retry is deduplicated). */
        ABANDONED;

        String tag() {
            return name().toLowerCase();
        }
    }

    static final String NO_TYPE = "none";
    static final String UNKNOWN_TYPE = "unknown";

    private final MeterRegistry registry;
    private final Timer publishLatency;
    /** Every counter, made once: building one per request (tags, id, registry lookup) showed in the profile. */
    private final Map<Outcome, Map<String, Counter>> counters = new EnumMap<>(Outcome.class);

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.publishLatency = Timer.builder("herald.ingest.publish.latency")
                .description("Time from handing a webhook to the Kafka producer to the broker's acknowledgement")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        List<String> types = new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::typeName).toList());
        types.addAll(List.of(UNKNOWN_TYPE, NO_TYPE));
        for (Outcome outcome : Outcome.values()) {
            Map<String, Counter> byType = new HashMap<>();
            types.forEach(type -> byType.put(type, received(outcome, type)));
            counters.put(outcome, Map.copyOf(byType));
        }
    }

    void count(Outcome outcome, String type) {
        counters.get(outcome).get(typeTag(type)).increment();
    }

    private Counter received(Outcome outcome, String typeTag) {
        return Counter.builder("herald.webhooks.received")
                .description("Webhooks received, by outcome and Uniskai type")
                .tag("outcome", outcome.tag())
                .tag("type", typeTag)
                .register(registry);
    }

    void recordPublish(Duration latency) {
        publishLatency.record(latency);
    }

    static String typeTag(String type) {
        if (type == null) {
            return NO_TYPE;
        }
        return EventType.byName(type).map(EventType::typeName).orElse(UNKNOWN_TYPE);
    }
}
