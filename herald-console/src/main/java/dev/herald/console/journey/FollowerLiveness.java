package dev.herald.console.journey;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Not live once the follower has stopped on an error (a write the index refused): the kubelet restarts the console,
 * which empties its index and reads the topics again, instead of leaving it unready for good.
 */
@Liveness
@ApplicationScoped
class FollowerLiveness implements HealthCheck {

    private final TopicFollower follower;

    FollowerLiveness(TopicFollower follower) {
        this.follower = follower;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("herald-console-follower").status(!follower.failed())
                .withData("state", follower.failed() ? String.valueOf(follower.problem()) : "following").build();
    }
}
