package dev.herald.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How many consumers each of some consumer groups has, as the gauge {@code herald_consumer_group_members{group}}:
 * measured by a service other than the group's own, it is how a consumer with no running process shows, since such a
 * process reports nothing. NaN until the first measurement and whenever the last one failed.
 */
public final class ConsumerGroupMembers implements AutoCloseable {

    private final Measurements<String, Integer> members;

    /** {@code kafkaConfig}: the service's Kafka client settings, address and security alike. */
    public ConsumerGroupMembers(Map<String, Object> kafkaConfig, List<String> groups, MeterRegistry registry,
            Duration interval) {
        this(new MemberCount(kafkaConfig), groups, registry, interval);
    }

    ConsumerGroupMembers(Measurements.Measure<String, Integer> count, List<String> groups, MeterRegistry registry,
            Duration interval) {
        this.members = new Measurements<>(groups, count, interval, "herald-group-members");
        for (String group : groups) {
            Gauge.builder("herald.consumer.group.members", members, all -> all.value(group, Integer::doubleValue))
                    .description("Consumers in the consumer group; NaN when unknown")
                    .tag("group", group)
                    .register(registry);
        }
    }

    @Override
    public void close() {
        members.close();
    }
}
