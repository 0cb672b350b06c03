package dev.herald.notifier.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the delay before attempt {@code n + 1} is random in
 * {@code [d/2, d]} where {@code d = min(max, initial * 2^(n-1))}. Jitter spreads the retries of many deliveries that
 * failed together, so a recovering peer is not hit by all of them at once.
 */
public record Backoff(Duration initial, Duration max) {

    public Duration after(int failedAttempt) {
        long initialMillis = Math.max(1, initial.toMillis());
        int doublings = Math.min(Math.max(failedAttempt - 1, 0), 30);
        long ceiling = Math.min(max.toMillis(), initialMillis << doublings);
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
