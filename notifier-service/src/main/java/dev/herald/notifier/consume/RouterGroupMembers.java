package dev.herald.notifier.consume;

import dev.herald.lag.ConsumerGroupMembers;
import dev.herald.notifier.config.NotifierConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * How many consumers the router's group has ({@code herald_consumer_group_members}): the router reports the notifier
 * groups' members, the notifiers report the router's, so a consumer with no running process is seen from the other
 * side, and a router whose pod runs but whose Streams threads died shows too.
 */
@Singleton
class RouterGroupMembers {

    private ConsumerGroupMembers members;

    void start(@Observes StartupEvent event, NotifierConfig config, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        members = new ConsumerGroupMembers(kafkaConfig, List.of(config.lag().routerGroup()), registry,
                config.lag().interval());
    }

    void stop(@Observes ShutdownEvent event) {
        if (members != null) {
            members.close();
        }
    }
}
