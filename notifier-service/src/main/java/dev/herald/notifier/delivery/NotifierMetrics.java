package dev.herald.notifier.delivery;

import dev.herald.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The notifier's own metrics (see docs/metrics.md). Undocumented types share the tag value {@code unknown}. */
@ApplicationScoped
public class NotifierMetrics {

    private final MeterRegistry registry;

    public NotifierMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Every type's series exists from the start, at 0, so "no unrouted events" is a value, not an absence.
        for (EventType type : EventType.values()) {
            unroutedCounter(type.typeName());
        }
        unroutedCounter("unknown");
    }

    /** {@code outcome}: sent, retrying, dead, or already_sent (a redelivery the ledger stopped). */
    public void delivery(Delivery delivery, String outcome) {
        Counter.builder("herald.notifier.deliveries")
                .description("Delivery attempts by channel, type and outcome")
                .tag("channel", delivery.destination().channel())
                .tag("type", typeTag(delivery.type()))
                .tag("outcome", outcome)
                .register(registry).increment();
    }

    public void sendLatency(String channel, Duration latency) {
        Timer.builder("herald.notifier.send.latency")
                .description("Time one send to the channel's peer (SMTP server, Slack) took")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(latency);
    }

    public void endToEndLatency(String channel, Duration latency) {
        Timer.builder("herald.notifier.end_to_end.latency")
                .description("Time from receipt by the ingest (ce_time) to the message being sent")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry).record(latency);
    }

    public void unrouted(String type) {
        unroutedCounter(type).increment();
    }

    private Counter unroutedCounter(String type) {
        return Counter.builder("herald.notifier.events.unrouted")
                .description("Events that no route matched")
                .tag("type", typeTag(type))
                .register(registry);
    }

    static String typeTag(String type) {
        return EventType.byName(type).map(EventType::typeName).orElse("unknown");
    }
}
