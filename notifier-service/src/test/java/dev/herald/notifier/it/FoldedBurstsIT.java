package dev.herald.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A burst to a route with {@code fold: {after: 3, within: 2s}} becomes a few messages that sum it up, on Slack and by
 * email, and every folded delivery counts as sent; the other routes still get one message per event.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = NotifierTestResource.class, scope = TestResourceScope.GLOBAL)
class FoldedBurstsIT {

    private static final Topics TOPICS = Topics.withDefaultPrefix();
    private static final int BURST = 30;
    private static final Pattern SENT = Pattern.compile("\"eventId\":\"(fold-\\d+)\".*\"route\":\"folded\".*\"outcome\":\"sent\"");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    TestSinks sinks;

    @Test
    void aBurstOfThirtyBecomesAFewMessagesThatSumItUp() {
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            for (int i = 0; i < BURST; i++) {
                publisher.publish("trial-period-ending", "fold-" + i, "{\"type\":\"trial-period-ending\",\"accounts\":[{"
                        + "\"account_name\":\"Folded " + i + "\",\"account_id\":\"acct-fold\"}],\"days_left\":3}");
            }
        }

        // Every delivery of the folding route is marked sent, email and Slack: 2 × 30 outcomes.
        try (TopicReader outcomes = new TopicReader(bootstrapServers, TOPICS.outcomes())) {
            outcomes.readUntil(records -> sentFolded(records).size() >= 2 * BURST, Duration.ofSeconds(60));
        }
        int slackMessages = sinks.slack.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/hooks/folded"))).size();
        List<MimeMessage> mails = sinks.mails().stream().filter(FoldedBurstsIT::toFoldedMailbox).toList();
        assertThat(slackMessages).as("Slack messages for %d events", BURST).isBetween(2, 10);
        assertThat(mails).as("emails for %d events", BURST).hasSizeBetween(2, 10);
        assertThat(sinks.slack.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/hooks/folded"))))
                .anyMatch(request -> request.getBodyAsString().contains("Folded"));
        // The route that does not fold sent one message per event.
        await().atMost(Duration.ofSeconds(30)).until(() -> sinks.mailsOf("fold-" + (BURST - 1)).size() >= 1);
        for (int i = 0; i < BURST; i++) {
            assertThat(sinks.slackRequests("/hooks/ops", "fold-" + i)).as("fold-%d on the ops webhook", i).hasSize(1);
        }
    }

    private static Set<String> sentFolded(List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records) {
        Set<String> sent = new HashSet<>();
        for (var record : records) {
            String outcome = new String(record.value(), StandardCharsets.UTF_8);
            Matcher matcher = SENT.matcher(outcome);
            if (matcher.find()) {
                sent.add(matcher.group(1) + (outcome.contains("\"channel\":\"slack\"") ? "/slack" : "/email"));
            }
        }
        return sent;
    }

    private static boolean toFoldedMailbox(MimeMessage mail) {
        try {
            Address[] to = mail.getAllRecipients();
            return to != null && Arrays.stream(to).anyMatch(address -> address.toString().contains("folded@example.com"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
