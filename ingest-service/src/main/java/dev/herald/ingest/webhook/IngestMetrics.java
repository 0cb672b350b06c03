package dev.herald.ingest.webhook;

import dev.herald.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The ingest's own metrics (see docs/metrics.md): webhooks by outcome and type, and how long Kafka takes to
 * acknowledge. Undocumented types share the tag value {@code unknown}, so a sender cannot grow the label set.
 */
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

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.publishLatency = Timer.builder("herald.ingest.publish.latency")
                .description("Time from handing a webhook to the Kafka producer to the broker's acknowledgement")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    void count(Outcome outcome, String type) {
        Counter.builder("herald.webhooks.received")
                .description("Webhooks received, by outcome and Uniskai type")
                .tag("outcome", outcome.tag())
                .tag("type", typeTag(type))
                .register(registry)
                .increment();
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
