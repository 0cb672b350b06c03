package dev.herald.notifier.delivery;

import java.time.Duration;
import java.util.Optional;

/** What a channel says about one attempt: sent, worth another try (perhaps not before a given delay), or never. */
public sealed interface SendResult {

    record Sent() implements SendResult {
    }

    /** A temporary failure: 5xx, timeout, rate limit, mail server down. {@code after}: the peer's own Retry-After. */
    record Retry(String reason, Optional<Duration> after) implements SendResult {
    }

    /** A failure that another attempt cannot fix: a revoked webhook, an archived channel, a malformed payload. */
    record GiveUp(String reason) implements SendResult {
    }

    static SendResult retry(String reason) {
        return new Retry(reason, Optional.empty());
    }
}
