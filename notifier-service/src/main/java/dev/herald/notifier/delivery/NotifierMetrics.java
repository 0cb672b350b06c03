package dev.herald.notifier.delivery;

import dev.herald.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The notifier's own metrics (see docs/metrics.md). Undocumented types share the tag value {@code unknown}.
 *
 * <p>Every counter exists at 0 from start-up (hence {@link Startup}), for every channel, type and outcome: a counter
 * that appears at 1 has no increase for Prometheus, so the first dead letter after a restart would not alert.
 */
@Startup
@ApplicationScoped
public class NotifierMetrics {

    /** The outcomes {@link Deliverer} counts: already_sent is a redelivery the sent ledger stopped. */
    static final List<String> OUTCOMES = List.of("sent", "retrying", "dead", "already_sent");
    static final List<String> CHANNELS = List.of("email", "slack");

    private final MeterRegistry registry;

    public NotifierMetrics(MeterRegistry registry) {
        this.registry = registry;
        List<String> types = new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::typeName).toList());
        types.add("unknown");
        for (String type : types) {
            unroutedCounter(type);
            for (String channel : CHANNELS) {
                OUTCOMES.forEach(outcome -> deliveriesCounter(channel, type, outcome));
            }
        }
    }

    /** {@code outcome}: one of {@link #OUTCOMES}. */
    public void delivery(Delivery delivery, String outcome) {
        deliveriesCounter(delivery.destination().channel(), typeTag(delivery.type()), outcome).increment();
    }

    private Counter deliveriesCounter(String channel, String type, String outcome) {
        return Counter.builder("herald.notifier.deliveries")
                .description("Delivery attempts by channel, type and outcome")
                .tag("channel", channel)
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry);
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
