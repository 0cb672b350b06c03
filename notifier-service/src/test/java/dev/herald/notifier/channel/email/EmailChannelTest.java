package dev.herald.notifier.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.CloudsitterStartStop;
import dev.herald.notifier.Folds;
import dev.herald.notifier.delivery.Pace;
import dev.herald.notifier.delivery.SendResult;
import dev.herald.notifier.render.FoldSummary;
import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Variant;
import io.vertx.ext.mail.SMTPException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailChannelTest {

    private static final String HOSTILE = "<!channel> <script>alert(1)</script>\r\nBcc: victim@example.com";

    @Test
    void aMailboxThatDoesNotExistIsGivenUpOnWhileAServerDownOrARefusedLoginIsRetried() {
        assertThat(EmailChannel.classify(new RuntimeException(
                new SMTPException("550 5.1.1 no such user", 550, List.of("550 5.1.1 no such user"), false))))
                .isInstanceOf(SendResult.GiveUp.class).asString().contains("550");
        assertThat(EmailChannel.classify(new RuntimeException(
                new SMTPException("535 authentication failed", 535, List.of("535 authentication failed"), false))))
                .isInstanceOf(SendResult.Retry.class);
        assertThat(EmailChannel.classify(new RuntimeException(
                new SMTPException("451 try again later", 451, List.of("451 try again later"), false))))
                .isInstanceOf(SendResult.Retry.class);
        // The mail client reads a line without a code as 500: the greeting "220 GreenMail SMTP Service ... ready",
        // read once without its first bytes, dead-lettered a mail in a rehearsal before this.
        assertThat(EmailChannel.classify(new RuntimeException(new SMTPException("eenMail SMTP Service v2.1.13 ready", 500,
                List.of("eenMail SMTP Service v2.1.13 ready"), false))))
                .isInstanceOf(SendResult.Retry.class).asString().contains("garbled");
        assertThat(EmailChannel.classify(new RuntimeException(new java.net.ConnectException("Connection refused"))))
                .isInstanceOf(SendResult.Retry.class);
    }

    @Test
    void aPlainAddressIsAccepted() {
        assertThat(EmailChannel.refusalOf("finops@example.com")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-address", "Ops <ops@example.com>", "a@example.com, b@example.com",
            "ops@example.com\r\nBcc: victim@example.com", "ops@localhost"})
    void anythingButOnePlainAddressIsRefusedSayingWhy(String address) {
        assertThat(EmailChannel.refusalOf(address)).get().asString().endsWith("is not an email address");
    }

    @Test
    void aSlackWebhookPutUnderEmailIsRefusedWithoutShowingItsPath() {
        assertThat(EmailChannel.refusalOf("https://hooks.slack.com/services/T0/B0/secret")).get().asString()
                .doesNotContain("secret").doesNotContain("hooks.slack.com").endsWith("is not an email address");
        assertThat(EmailChannel.refusalOf("hooks.slack.com/services/T0/B0/secret")).get().asString()
                .doesNotContain("secret").endsWith("is not an email address");
    }

    @Test
    void mailboxesAreShownAsTheyAre() {
        assertThat(new EmailChannel(mails -> { }, config(Optional.empty())).redact("ops@example.com")).isEqualTo("ops@example.com");
    }

    @Test
    void paceIsUnlimitedUnlessARateIsSet() {
        assertThat(new EmailChannel(mails -> { }, config(Optional.empty())).pace()).isEqualTo(Pace.unlimited(8));
        assertThat(new EmailChannel(mails -> { }, config(Optional.of(2.0))).pace()).isEqualTo(new Pace(2.0, 10, 8));
    }

    @Test
    void aFoldsSubjectIsItsHeadlineWithNoLineBreakFromThePayload() {
        FoldSummary summary = FoldSummary.of(Folds.of(List.of(Folds.stopped(HOSTILE, "a", 0, 2), Folds.stopped(HOSTILE, "a", 2, 1))));

        String subject = EmailMessage.subject(summary.headline());

        assertThat(subject).startsWith("[Herald] Schedule '<!channel> <script>alert(1)</script> Bcc: victim@example.com' stopped 3")
                .doesNotContain("\r", "\n");
    }

    /** Renders the fold template the way Quarkus does for {@code .html}: every value escaped. */
    @Test
    void theFoldEmailEscapesPayloadHtml() throws IOException {
        Engine engine = Engine.builder().addDefaults().addValueResolver(new ReflectionValueResolver())
                .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML))).build();
        String template = Files.readString(Path.of("src/main/resources/templates/email/html/fold.html"));
        List<CloudsitterStartStop> events = IntStream.range(0, 45)
                .mapToObj(i -> Folds.stopped(HOSTILE, "a", i, 1)).toList();

        String html = engine.parse(template, Variant.forContentType(Variant.TEXT_HTML))
                .data("summary", FoldSummary.of(Folds.of(events))).render();

        assertThat(html).doesNotContain("<script>", "<!channel>").contains("&lt;script&gt;", "&lt;!channel&gt;")
                .contains("…and 5 more (45 in all)");
        assertThat(html.split("<li>", -1)).hasSize(41);
    }

    private static EmailConfig config(Optional<Double> perSecond) {
        return new EmailConfig() {
            @Override
            public Optional<Double> messagesPerSecond() {
                return perSecond;
            }

            @Override
            public int burst() {
                return 10;
            }

            @Override
            public int inFlight() {
                return 8;
            }
        };
    }
}
