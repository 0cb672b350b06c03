package dev.herald.router.lag;

import dev.herald.events.Topics;
import dev.herald.lag.ConsumerLagGauges;
import dev.herald.router.config.RouterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The router's lag on the raw topic, in records and seconds ({@code herald_consumer_lag_*}). */
@Singleton
class RouterLag {

    private ConsumerLagGauges gauges;

    void start(@Observes StartupEvent event, RouterConfig config, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId) {
        gauges = new ConsumerLagGauges(kafkaConfig,
                List.of(new ConsumerLagGauges.GroupTopic(applicationId, new Topics(config.topicPrefix()).raw())),
                registry, config.lag().interval());
    }

    void stop(@Observes ShutdownEvent event) {
        if (gauges != null) {
            gauges.close();
        }
    }
}
