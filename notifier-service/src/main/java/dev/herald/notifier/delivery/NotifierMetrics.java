package dev.herald.notifier.delivery;

import dev.herald.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The notifier's own metrics (see docs/metrics.md). Undocumented types share the tag value {@code unknown}.
 *
 * <p>Every counter exists at 0 from start-up (hence {@link Startup}), for every channel, type and outcome: a counter
 * that appears at 1 has no increase for Prometheus, so the first dead letter after a restart would not alert.
 */
@Startup
@ApplicationScoped
public class NotifierMetrics {

    /** Outcomes of an attempt, per delivery: a delivery folded into one message counts as sent. */
    static final List<String> OUTCOMES = List.of("sent", "retrying", "dead");

    private final MeterRegistry registry;
    private final List<KafkaClientMetrics> clients = new CopyOnWriteArrayList<>();
    // Looked up on every attempt: a registry lookup builds and hashes a meter id each time, so they are kept here
    // (the registry never removes them while the notifier runs).
    private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Timer> sendLatencies = new ConcurrentHashMap<>();
    private final Map<String, Timer> endToEndLatencies = new ConcurrentHashMap<>();
    private final Counter alreadyDone;
    private final Counter deletedUnsent;

    public NotifierMetrics(MeterRegistry registry, @All List<Channel> channels) {
        this.registry = registry;
        List<String> types = new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::typeName).toList());
        types.add("unknown");
        for (String type : types) {
            unroutedCounter(type);
            for (Channel channel : channels) {
                OUTCOMES.forEach(outcome -> deliveriesCounter(channel.name(), type, outcome));
                foldsCounter(channel.name(), type);
            }
        }
        this.alreadyDone = Counter.builder("herald.notifier.deliveries.already_done")
                .description("Delivery records read again (after a rebalance or a crash) that an earlier owner had finished")
                .register(registry);
        this.deletedUnsent = Counter.builder("herald.notifier.deliveries.deleted_unsent")
                .description("Delivery records the deliveries topic's retention deleted before they were sent: dead-lettered"
                        + " without their body, or, when a pod finds its committed offset below the log start, counted"
                        + " from the offsets (transaction markers included)")
                .register(registry);
    }

    /** Delivery records deleted by the topic's retention before they were sent. */
    public void deletedUnsent(long records) {
        deletedUnsent.increment(records);
    }

    /** {@code outcome}: one of {@link #OUTCOMES}. */
    public void delivery(Delivery delivery, String outcome) {
        deliveriesCounter(delivery.destination().channel(), typeTag(delivery.type()), outcome).increment();
    }

    public void alreadyDone() {
        alreadyDone.increment();
    }

    /** One message summed up {@code size} deliveries. */
    public void fold(String channel, String type, int size) {
        foldsCounter(channel, typeTag(type)).increment();
    }

    public void unreadable(String topic) {
        unreadableCounter(topic).increment();
    }

    /** The unreadable-records counter of a topic this instance reads, at 0 from start-up. */
    public void reads(String topic) {
        unreadableCounter(topic);
    }

    private Counter unreadableCounter(String topic) {
        return Counter.builder("herald.notifier.records.unreadable")
                .description("Records the notifier could not read, sent to its dead-letter topic")
                .tag("topic", topic)
                .register(registry);
    }

    public void pendingDeliveries(IntSupplier pending) {
        Gauge.builder("herald.notifier.deliveries.pending", pending::getAsInt)
                .description("Deliveries read and not done yet: waiting for their destination, being sent or written")
                .register(registry);
    }

    public void bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        clients.add(metrics);
    }

    private Counter deliveriesCounter(String channel, String type, String outcome) {
        return deliveries.computeIfAbsent(channel + '\n' + type + '\n' + outcome,
                key -> Counter.builder("herald.notifier.deliveries")
                        .description("Delivery attempts by channel, type and outcome")
                        .tag("channel", channel)
                        .tag("type", type)
                        .tag("outcome", outcome)
                        .register(registry));
    }

    private Counter foldsCounter(String channel, String type) {
        return Counter.builder("herald.notifier.folds")
                .description("Messages that summed up a burst of deliveries of one type to one destination")
                .tag("channel", channel)
                .tag("type", type)
                .register(registry);
    }

    public void sendLatency(String channel, Duration latency) {
        sendLatencies.computeIfAbsent(channel, key -> Timer.builder("herald.notifier.send.latency")
                .description("Time one send to the channel's peer (SMTP server, Slack) took")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(latency);
    }

    private static final Duration LONGEST_LATENCY = Duration.ofDays(365);

    public void endToEndLatency(String channel, Duration latency) {
        // ce_time is a header of the record: a clock far off or a forged time is no latency, and a Duration of more
        // than 292 years does not fit the timer's nanoseconds (it would throw after the message went).
        if (latency.isNegative() || latency.compareTo(LONGEST_LATENCY) > 0) {
            return;
        }
        endToEndLatencies.computeIfAbsent(channel, key -> Timer.builder("herald.notifier.end_to_end.latency")
                .description("Time from receipt by the ingest (ce_time) to the message being sent")
                .tag("channel", channel)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)).record(latency);
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

    @PreDestroy
    void close() {
        clients.forEach(KafkaClientMetrics::close);
    }
}
