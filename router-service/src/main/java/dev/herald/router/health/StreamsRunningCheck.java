package dev.herald.router.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while Kafka Streams runs (or rebalances): Quarkus's own state check is a liveness check, and its
 * readiness check asks only whether the topics exist, so a router whose stream thread died (a broker gone longer than
 * task.timeout.ms, a record its producer refuses) would otherwise say ready while nothing is routed.
 */
@Readiness
@ApplicationScoped
class StreamsRunningCheck implements HealthCheck {

    private final Instance<KafkaStreams> streams;

    StreamsRunningCheck(Instance<KafkaStreams> streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.get().state();
        boolean routing = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        return HealthCheckResponse.named("kafka-streams-running").status(routing).withData("state", state.name()).build();
    }
}
