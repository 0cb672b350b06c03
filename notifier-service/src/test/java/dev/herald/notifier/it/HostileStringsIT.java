package dev.herald.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Payload strings are data: escaped for HTML and Slack, never reaching a mail header. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = NotifierTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileStringsIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    TestSinks sinks;

    @Test
    void hostileAccountNameArrivesEscapedAndAddsNoRecipient() throws Exception {
        String name = "Evil\\r\\nBcc: attacker@evil.example\\r\\n<script>alert(1)</script> <!channel> *b* _i_ ~s~ `c` & co";
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            publisher.publish("trial-period-ended", "hostile-1", "{\"type\":\"trial-period-ended\",\"accounts\":[{"
                    + "\"account_name\":\"" + name + "\",\"account_id\":\"12345678\"}]}");
        }

        await().atMost(DocumentedDeliveriesIT.WAIT)
                .until(() -> sinks.mailsOf("hostile-1").size() == 1 && sinks.slackRequests("/hooks/ops", "hostile-1").size() == 1);

        MimeMessage mail = sinks.mailsOf("hostile-1").get(0);
        assertThat(mail.getSubject()).doesNotContain("\r", "\n").startsWith("[Herald] Trial of Evil Bcc: attacker");
        assertThat(mail.getRecipients(Message.RecipientType.BCC)).isNull();
        assertThat(Arrays.stream(mail.getAllRecipients()).map(Object::toString)).containsExactly("ops@example.com");
        assertThat(sinks.mails()).noneMatch(m -> recipients(m).contains("evil.example"));
        MailParts parts = MailParts.of(mail);
        assertThat(parts.html()).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&amp; co");

        String slack = sinks.slackRequests("/hooks/ops", "hostile-1").get(0).getBodyAsString();
        assertThat(slack).doesNotContain("<!channel>", "<script>").contains("&lt;!channel&gt;", "&amp; co");
        // Only the fallback text is mrkdwn; payload values in blocks are plain_text, which Slack never formats.
        String fallback = com.google.gson.JsonParser.parseString(slack).getAsJsonObject().get("text").getAsString();
        assertThat(fallback).doesNotContain("*b*", "_i_", "~s~", "`c`", "<!channel>");
        assertThat(slack).doesNotContain("\"type\":\"mrkdwn\"");
    }

    @Test
    void threeHundredResourcesGiveOneSlackMessageAndAnEmailListingAll() {
        String resources = IntStream.range(0, 300)
                .mapToObj(i -> "{\"account_id\":\"111111111111\",\"type\":\"ec2\",\"rn\":\"arn:aws:ec2:" + i
                        + "\",\"name\":\"server-" + i + "\",\"region\":\"eu-west-1\"}")
                .collect(Collectors.joining(","));
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            publisher.publish("cloudsitter-start-stop", "three-hundred",
                    "{\"type\":\"cloudsitter-start-stop\",\"policy_name\":\"weekend\",\"stopped\":[" + resources + "]}");
        }

        await().atMost(DocumentedDeliveriesIT.WAIT).until(() -> sinks.mailsOf("three-hundred").size() == 1
                && sinks.slackRequests("/hooks/ops", "three-hundred").size() == 1);

        var payload = com.google.gson.JsonParser.parseString(
                sinks.slackRequests("/hooks/ops", "three-hundred").get(0).getBodyAsString()).getAsJsonObject();
        assertThat(payload.getAsJsonArray("blocks").size()).isLessThanOrEqualTo(50);
        assertThat(payload.get("text").getAsString()).isEqualTo("300 resources stopped by schedule weekend");
        MailParts parts = MailParts.of(sinks.mailsOf("three-hundred").get(0));
        for (int i = 0; i < 300; i++) {
            assertThat(parts.text()).contains("- server-" + i + " (");
            assertThat(parts.html()).contains("<td>server-" + i + "</td>");
        }
    }

    private static String recipients(MimeMessage mail) {
        try {
            return mail.getAllRecipients() == null ? "" : Arrays.toString(mail.getAllRecipients());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
