package dev.herald.notifier.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.notifier.delivery.SendResult;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SlackAnswerTest {

    @Test
    void twoHundredIsSent() {
        assertThat(SlackAnswer.classify(200, "ok", Optional.empty())).isInstanceOf(SendResult.Sent.class);
    }

    @Test
    void tooManyRequestsIsRetriedAfterSlacksRetryAfter() {
        assertThat(SlackAnswer.classify(429, "rate_limited", Optional.of("7")))
                .isEqualTo(new SendResult.Retry("Slack answered 429 rate_limited", Optional.of(Duration.ofSeconds(7))));
    }

    @ParameterizedTest
    @CsvSource({"500,internal_error", "502,", "503,service_unavailable", "408,"})
    void serverErrorsAndTimeoutsAreRetried(int status, String body) {
        assertThat(SlackAnswer.classify(status, body, Optional.empty())).isInstanceOf(SendResult.Retry.class);
    }

    @ParameterizedTest
    @CsvSource({"400,invalid_payload", "403,action_prohibited", "404,channel_not_found", "404,no_service",
            "410,channel_is_archived"})
    void clientErrorsAreGivenUpWithSlacksReason(int status, String body) {
        assertThat(SlackAnswer.classify(status, body, Optional.empty()))
                .isEqualTo(new SendResult.GiveUp("Slack answered " + status + " " + body));
    }

    @Test
    void bodyTextIsNotEchoedBeyondAPlainToken() {
        SendResult result = SlackAnswer.classify(404, "<b>https://hooks.slack.com/services/secret</b>", Optional.empty());

        assertThat(((SendResult.GiveUp) result).reason()).doesNotContain("<", ":/");
    }
}
