package dev.herald.router.lag;

import dev.herald.events.EventType;
import dev.herald.events.Topics;
import dev.herald.lag.ConsumerGroupMembers;
import dev.herald.router.config.RouterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How many consumers each notifier group has ({@code herald_consumer_group_members}). A per-type notifier Deployment
 * with no running pod reports nothing, not even its lag; the router, always running, reports its group at 0.
 */
@Singleton
class NotifierGroupMembers {

    private ConsumerGroupMembers members;

    void start(@Observes StartupEvent event, RouterConfig config, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        members = new ConsumerGroupMembers(kafkaConfig, groups(config.lag().notifierGroupPrefix()), registry,
                config.lag().interval());
    }

    void stop(@Observes ShutdownEvent event) {
        if (members != null) {
            members.close();
        }
    }

    /** One group per per-type topic, as the notifier names them, and the deliveries group. */
    static List<String> groups(String prefix) {
        List<String> types = new ArrayList<>(Arrays.stream(EventType.values()).map(EventType::typeName).toList());
        types.add(Topics.UNKNOWN);
        types.add("deliveries");
        return types.stream().map(type -> prefix + "-" + type).toList();
    }
}
