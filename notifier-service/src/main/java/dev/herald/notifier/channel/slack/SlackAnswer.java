package dev.herald.notifier.channel.slack;

import dev.herald.notifier.delivery.SendResult;
import java.time.Duration;
import java.util.Optional;

/**
 * What Slack's answer to an incoming-webhook POST means for Herald: the one place that sorts status codes into
 * "done", "try again" and "give up". See Slack's incoming-webhook error reference.
 */
final class SlackAnswer {

    /** The most of an answer's body read: Slack's are a word or two. */
    static final int MAX_BODY_BYTES = 4096;

    private SlackAnswer() {
    }

    static SendResult classify(int status, String body, Optional<String> retryAfter) {
        String error = body == null ? "" : body.strip().replaceAll("[^A-Za-z0-9_ .-]", "");
        if (error.length() > 100) {
            error = error.substring(0, 100);
        }
        String detail = "Slack answered " + status + (error.isEmpty() ? "" : " " + error);
        if (status >= 200 && status < 300) {
            return new SendResult.Sent();
        }
        if (status == 429) {
            return new SendResult.Retry(detail, retryAfter.flatMap(SlackAnswer::seconds));
        }
        if (status >= 500 || status == 408) {
            return new SendResult.Retry(detail, Optional.empty());
        }
        // 400 invalid_payload, 403 action_prohibited, 404 channel_not_found / no_service, 410 channel_is_archived:
        // the same request will never succeed.
        return new SendResult.GiveUp(detail);
    }

    private static Optional<Duration> seconds(String header) {
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
