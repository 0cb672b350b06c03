package dev.herald.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Consumer lag of some consumer groups, per topic, as two gauges: {@code herald_consumer_lag_records} and
 * {@code herald_consumer_lag_seconds}, the age of the oldest record the group has not processed yet. "The spot topic
 * is 4 minutes behind" tells whoever is on call more than "5,000 records behind".
 *
 * <p>Computed from the groups' committed offsets and the records' timestamps through the Admin API, on a timer of its
 * own: it reads 0 when a group is caught up and keeps rising while the group's consumers are stopped or stuck, which
 * a metric from inside those consumers cannot do. It reads NaN until the first measurement and whenever the last one
 * failed (Kafka unreachable), so a service cut off from Kafka never reports "caught up".
 */
public final class ConsumerLagGauges implements AutoCloseable {

    /** A consumer group and the topic it consumes. */
    public record GroupTopic(String group, String topic) {
    }

    /** Lag of one group on one topic. */
    public record Lag(long records, double seconds) {
    }

    private final Measurements<GroupTopic, Lag> lags;

    /**
     * {@code kafkaConfig}: the service's Kafka client settings, address and security alike (Quarkus'
     * {@code @Identifier("default-kafka-broker")} map), so the lag is read the way the service's own clients connect.
     */
    public ConsumerLagGauges(Map<String, Object> kafkaConfig, List<GroupTopic> watched, MeterRegistry registry,
            Duration interval) {
        this(new ConsumerLag(kafkaConfig, Clock.systemUTC()), watched, registry, interval);
    }

    ConsumerLagGauges(Measurements.Measure<GroupTopic, Lag> measure, List<GroupTopic> watched, MeterRegistry registry,
            Duration interval) {
        this.lags = new Measurements<>(watched, measure, interval, "herald-consumer-lag");
        for (GroupTopic groupTopic : watched) {
            Gauge.builder("herald.consumer.lag.records", lags, all -> all.value(groupTopic, Lag::records))
                    .description("Records of the topic the consumer group has not processed yet; NaN when unknown")
                    .tag("group", groupTopic.group()).tag("topic", groupTopic.topic())
                    .register(registry);
            Gauge.builder("herald.consumer.lag.seconds", lags, all -> all.value(groupTopic, Lag::seconds))
                    .description("Age of the oldest record of the topic the consumer group has not processed yet; NaN when unknown")
                    .tag("group", groupTopic.group()).tag("topic", groupTopic.topic())
                    .register(registry);
        }
    }

    @Override
    public void close() {
        lags.close();
    }
}
