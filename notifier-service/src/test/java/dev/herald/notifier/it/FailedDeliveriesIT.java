package dev.herald.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.herald.events.DeliveryHeaders;
import dev.herald.events.EventHeaders;
import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Slack and SMTP failing in each documented way: retried, waited for, or dead-lettered, and never doubled. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = NotifierTestResource.class, scope = TestResourceScope.GLOBAL)
class FailedDeliveriesIT {

    private static final Topics TOPICS = Topics.withDefaultPrefix();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    TestSinks sinks;

    @Test
    void rateLimitedMessageArrivesAfterRetryAfterExactlyOnce() {
        publishTrialEnded("slack-429", "acct-429");

        await().atMost(WAIT).until(() -> successes("/hooks/rate-limited", "slack-429") == 1);

        List<LoggedRequest> requests = sorted(sinks.slackRequests("/hooks/rate-limited", "slack-429"));
        assertThat(requests).hasSize(2);
        // Retry-After: 2, capped at max-backoff (1 s in tests): the destination waited at least that long.
        assertThat(Duration.between(requests.get(0).getLoggedDate().toInstant(), requests.get(1).getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(sinks.slackRequests("/hooks/ops", "slack-429")).hasSize(1);
    }

    @Test
    void serverErrorsThreeTimesThenSuccessDeliversExactlyOnce() {
        publishTrialEnded("slack-500", "acct-500");

        await().atMost(WAIT).until(() -> successes("/hooks/flaky", "slack-500") == 1);

        assertThat(sinks.slackRequests("/hooks/flaky", "slack-500")).hasSize(4);
        try (TopicReader outcomes = new TopicReader(bootstrapServers, TOPICS.outcomes())) {
            var records = outcomes.readUntil(read -> read.stream().filter(r -> "slack-500".equals(r.key()))
                    .filter(r -> text(r.value()).contains("/hooks/") || text(r.value()).contains("\"channel\":\"slack\""))
                    .count() >= 5, WAIT);
            assertThat(records.stream().filter(r -> "slack-500".equals(r.key())).map(r -> text(r.value())))
                    .noneMatch(outcome -> outcome.contains("/hooks/flaky"))
                    .anyMatch(outcome -> outcome.contains("\"outcome\":\"retrying\"") && outcome.contains("500"));
        }
    }

    @Test
    void goneWebhookIsDeadLetteredWithoutRetryWhileTheOtherRouteGetsOneMessage() {
        publishTrialEnded("slack-404", "acct-404");

        try (TopicReader deadLetters = new TopicReader(bootstrapServers, TOPICS.notifierDeadLetter())) {
            var dead = deadLetters.awaitRecord(r -> "slack-404".equals(TopicReader.header(r, EventHeaders.CE_ID)), WAIT);
            assertThat(TopicReader.header(dead, DeliveryHeaders.ERROR)).contains("Slack answered 404 no_service")
                    .doesNotContain("/hooks/gone");
            assertThat(text(dead.value())).as("the event's body as received").startsWith("{\"type\":\"trial-period-ended\"");
            dead.headers().forEach(header -> assertThat(text(header.value())).doesNotContain("/hooks/gone"));
        }
        await().atMost(WAIT).until(() -> sinks.slackRequests("/hooks/ops", "slack-404").size() == 1
                && sinks.mailsOf("slack-404").size() == 1);
        assertThat(sinks.slackRequests("/hooks/gone", "slack-404")).hasSize(1);
        assertThat(sinks.slackRequests("/hooks/ops", "slack-404")).hasSize(1);
    }

    @Test
    void aDestinationAskingForAnHourHoldsBackNeitherItsPartitionNorItsOwnRetryBeyondMaxBackoff() {
        String asksForAnHour = NotifierTestResource.SHARED_PARTITION_PATHS.get(0);
        String answers = NotifierTestResource.SHARED_PARTITION_PATHS.get(1);
        publishTrialEnded("hour-1", "acct-3600");
        publishTrialEnded("hour-2", "acct-3600");

        // The other destination on the same deliveries partition gets both within seconds...
        await().atMost(Duration.ofSeconds(10)).until(() -> successes(answers, "hour-1") == 1 && successes(answers, "hour-2") == 1);
        // ...and Retry-After: 3600 is capped at max-backoff (1 s in tests): the retry comes within seconds too.
        await().atMost(Duration.ofSeconds(15)).until(() -> successes(asksForAnHour, "hour-1") == 1
                && successes(asksForAnHour, "hour-2") == 1);
        assertThat(sinks.slackRequests(answers, "hour-1")).hasSize(1);
        assertThat(sinks.slackRequests(answers, "hour-2")).hasSize(1);
    }

    @Test
    void smtpDownThenUpDeliversTheEmailOnce() {
        sinks.stopSmtp();
        try {
            publishTrialEnded("smtp-outage", "12345678");
            try (TopicReader outcomes = new TopicReader(bootstrapServers, TOPICS.outcomes())) {
                outcomes.awaitRecord(r -> "smtp-outage".equals(r.key()) && text(r.value()).contains("\"channel\":\"email\"")
                        && text(r.value()).contains("\"outcome\":\"retrying\""), WAIT);
            }
        } finally {
            sinks.startSmtp();
        }

        await().atMost(WAIT).until(() -> sinks.mailsOf("smtp-outage").size() == 1);
        try (TopicReader outcomes = new TopicReader(bootstrapServers, TOPICS.outcomes())) {
            outcomes.awaitRecord(r -> "smtp-outage".equals(r.key()) && text(r.value()).contains("\"channel\":\"email\"")
                    && text(r.value()).contains("\"outcome\":\"sent\""), WAIT);
        }
        assertThat(sinks.mailsOf("smtp-outage")).hasSize(1);
    }

    private void publishTrialEnded(String eventId, String accountId) {
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            publisher.publish("trial-period-ended", eventId, "{\"type\":\"trial-period-ended\",\"accounts\":[{"
                    + "\"account_name\":\"Test " + eventId + "\",\"account_id\":\"" + accountId + "\"}]}");
        }
    }

    private long successes(String path, String eventId) {
        return sinks.slack.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().equals(path)
                        && event.getRequest().getBodyAsString().contains("event " + eventId + " ")
                        && event.getResponse().getStatus() == 200)
                .count();
    }

    private static List<LoggedRequest> sorted(List<LoggedRequest> requests) {
        return requests.stream().sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
