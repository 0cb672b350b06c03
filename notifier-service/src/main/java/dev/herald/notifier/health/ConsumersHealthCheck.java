package dev.herald.notifier.health;

import dev.herald.notifier.consume.NotifierRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** Live and ready while every consumer thread runs; a consumer that stopped needs a restart of the pod. */
@Liveness
@Readiness
@ApplicationScoped
class ConsumersHealthCheck implements HealthCheck {

    private final NotifierRuntime runtime;

    ConsumersHealthCheck(NotifierRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka-consumers")
                .status(runtime.consumersRunning())
                .withData("groups", String.join(",", runtime.consumerGroups()))
                .build();
    }
}
