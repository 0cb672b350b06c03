package dev.herald.console.journey;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the console has read what Herald's topics held at its start: before that, a journey may look cut short. */
@Readiness
@ApplicationScoped
class IndexReadiness implements HealthCheck {

    private final TopicFollower follower;

    IndexReadiness(TopicFollower follower) {
        this.follower = follower;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("herald-console-journeys").status(follower.caughtUp())
                .withData("state", follower.caughtUp() ? "following" : String.valueOf(follower.problem())).build();
    }
}
