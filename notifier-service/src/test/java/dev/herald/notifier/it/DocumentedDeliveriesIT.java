package dev.herald.notifier.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.DocumentedMetrics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.notifier.Snapshots;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each documented example, from its per-type topic to a real SMTP server and a Slack-like webhook. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = NotifierTestResource.class, scope = TestResourceScope.GLOBAL)
class DocumentedDeliveriesIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    TestSinks sinks;

    @ParameterizedTest
    @EnumSource(EventType.class)
    void documentedExampleArrivesAsOneEmailAndOneSlackMessage(EventType type) throws Exception {
        String eventId = "doc-" + type.typeName();
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            publisher.publish(type.typeName(), eventId, DocumentedExamples.of(type));
        }

        await().atMost(WAIT).until(() -> sinks.mailsOf(eventId).size() == 1 && sinks.slackRequests("/hooks/ops", eventId).size() == 1);

        MimeMessage mail = sinks.mailsOf(eventId).get(0);
        assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                .containsExactly("ops@example.com");
        assertThat(mail.getHeader("Message-ID")[0]).matches("<[0-9a-f]{32}@herald>");
        MailParts parts = MailParts.of(mail);
        assertThat(parts.text()).isNotBlank();
        assertThat(parts.html()).contains("<html");
        Snapshots.assertMatches("email/" + type.typeName() + ".txt",
                ("Subject: " + mail.getSubject() + "\n\n--- text ---\n" + parts.text() + "\n--- html ---\n" + parts.html())
                        .replace(eventId, "evt-1"));

        String slack = sinks.slackRequests("/hooks/ops", eventId).get(0).getBodyAsString();
        var payload = JsonParser.parseString(slack.replace(eventId, "evt-1")).getAsJsonObject();
        Snapshots.assertMatches("slack/" + type.typeName() + ".json",
                new GsonBuilder().setPrettyPrinting().create().toJson(payload) + "\n");
    }

    @Test
    void subjectsSayWhatHappened() throws Exception {
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            publisher.publish("spot-recreated", "subject-spot", DocumentedExamples.of(EventType.SPOT_RECREATED));
            publisher.publish("cloudsitter-start-stop", "subject-schedule", """
                    {"type":"cloudsitter-start-stop","policy_name":"office-hours","started":[
                     {"account_id":"1","type":"ec2","rn":"arn:1","name":"a","region":"eu-west-1"},
                     {"account_id":"1","type":"ec2","rn":"arn:2","name":"b","region":"eu-west-1"},
                     {"account_id":"1","type":"ec2","rn":"arn:3","name":"c","region":"eu-west-1"}]}""");
        }

        await().atMost(WAIT).until(() -> sinks.mailsOf("subject-spot").size() == 1 && sinks.mailsOf("subject-schedule").size() == 1);
        assertThat(sinks.mailsOf("subject-spot").get(0).getSubject())
                .isEqualTo("[Herald] Spot instance i-0abc12d345ef678 recreated in eu-central-1");
        assertThat(sinks.mailsOf("subject-schedule").get(0).getSubject())
                .isEqualTo("[Herald] 3 resources started by schedule office-hours");
    }

    @Test
    void deliveriesAreCountedInMetrics() {
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            publisher.publish("trial-period-ended", "metrics-1", DocumentedExamples.of(EventType.TRIAL_PERIOD_ENDED));
        }
        await().atMost(WAIT).until(() -> sinks.mailsOf("metrics-1").size() == 1);

        await().atMost(WAIT).untilAsserted(() -> assertThat(given().when().get("/q/metrics").then().statusCode(200)
                .extract().asString())
                .containsPattern("herald_notifier_deliveries_total\\{channel=\"email\",outcome=\"sent\",type=\"trial-period-ended\"} [1-9]")
                .contains("herald_notifier_send_latency_seconds_bucket")
                .contains("herald_notifier_end_to_end_latency_seconds_bucket")
                .contains("herald_notifier_events_unrouted_total{type=\"spot-recreated\"} 0.0"));
        assertThat(DocumentedMetrics.missingFrom(given().when().get("/q/metrics").then().extract().asString(), "notifier"))
                .as("documented in docs/metrics.md").isEmpty();
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
