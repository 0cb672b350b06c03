package dev.herald.notifier.channel.email;

import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.Fold;
import dev.herald.notifier.delivery.Pace;
import dev.herald.notifier.delivery.SendResult;
import dev.herald.notifier.render.FoldSummary;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.vertx.ext.mail.SMTPException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Email over SMTP ({@code quarkus-mailer}, {@code email:} in the routes file): multipart HTML and text from the
 * templates, one mail per recipient, with a Message-ID derived from the delivery (or fold) id so that every attempt
 * carries the same one.
 */
@ApplicationScoped
class EmailChannel implements Channel {

    static final String NAME = "email";
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");

    /** Login refusals: the server's configuration, which an operator fixes, not this mail's fault. */
    private static final Set<Integer> AUTHENTICATION_REPLIES = Set.of(530, 534, 535, 538);

    private final Mailer mailer;
    private final Pace pace;

    EmailChannel(Mailer mailer, EmailConfig config) {
        this.mailer = mailer;
        try {
            this.pace = config.messagesPerSecond().map(perSecond -> new Pace(perSecond, config.burst(), config.inFlight()))
                .orElse(Pace.unlimited(config.inFlight()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("herald.email.messages-per-second and herald.email.burst: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<String> refusal(String address) {
        return refusalOf(address);
    }

    /** One plain address per entry: no display name, no list, nothing a header could be smuggled in with. */
    static Optional<String> refusalOf(String address) {
        if (ADDRESS.matcher(address).matches()) {
            return Optional.empty();
        }
        // A Slack webhook put under email: by mistake is a secret: its path is not shown (the log keeps this message).
        String shown = address.contains("://") ? address.substring(0, address.indexOf("://") + 3) + "…"
                : address.contains("/") ? address.substring(0, address.indexOf('/') + 1) + "…"
                : address.length() > 100 ? address.substring(0, 100) + "…" : address;
        return Optional.of("\"" + shown + "\" is not an email address");
    }

    /** Mailboxes are not secrets: logs and records may show them. */
    @Override
    public String redact(String address) {
        return address;
    }

    @Override
    public Pace pace() {
        return pace;
    }

    @Override
    public SendResult send(Delivery delivery, UniskaiEvent event) {
        EmailMessage message = EmailMessage.of(event, delivery.eventId());
        return send(Mail.withHtml(delivery.destination().address(), message.subject(), message.html())
                .setText(message.text())
                .addHeader("Message-ID", messageId(delivery.id()))
                .addHeader("X-Herald-Event-Id", MailHeaderText.clean(delivery.eventId()))
                .addHeader("X-Herald-Event-Type", MailHeaderText.clean(delivery.type())));
    }

    @Override
    public SendResult sendFold(Fold fold) {
        EmailMessage message = EmailMessage.ofFold(FoldSummary.of(fold));
        return send(Mail.withHtml(fold.destination().address(), message.subject(), message.html())
                .setText(message.text())
                .addHeader("Message-ID", messageId(fold.id()))
                .addHeader("X-Herald-Event-Type", MailHeaderText.clean(fold.type()))
                .addHeader("X-Herald-Folded", String.valueOf(fold.items().size())));
    }

    private SendResult send(Mail mail) {
        try {
            mailer.send(mail);
            return new SendResult.Sent();
        } catch (RuntimeException e) {
            return classify(e);
        }
    }

    /**
     * A 5xx reply refuses this mail for good (no such mailbox, message refused): another attempt would meet the same
     * answer. Anything else — the server down, slow, a 4xx — may pass later, and so may a refused login (530, 534,
     * 535, 538): that is the server's configuration, fixed by an operator, not this mail's fault. So may a "500"
     * the mail client made up for a line that is not an SMTP reply at all (it counts any line without a code as 500):
     * seen once under load, the server's greeting read without its first bytes.
     */
    static SendResult classify(RuntimeException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SMTPException smtp && smtp.isPermanent() && !AUTHENTICATION_REPLIES.contains(smtp.getReplyCode())) {
                if (!smtpReply(smtp)) {
                    return SendResult.retry("SMTP: a garbled reply, not a refusal: "
                            + MailHeaderText.clean(String.valueOf(smtp.getReplyMessage())));
                }
                return new SendResult.GiveUp("SMTP refused the mail for good: " + smtp.getReplyCode() + " "
                        + MailHeaderText.clean(String.valueOf(smtp.getReplyMessage())));
            }
        }
        return SendResult.retry("SMTP: " + describe(error));
    }

    /** Whether the server's reply starts with the code the client read from it, as every SMTP reply line does. */
    private static boolean smtpReply(SMTPException smtp) {
        String first = smtp.getReplyMessages() == null || smtp.getReplyMessages().isEmpty() ? null : smtp.getReplyMessages().get(0);
        return first != null && first.startsWith(String.valueOf(smtp.getReplyCode()));
    }

    static String messageId(String id) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(hash, 0, 16) + "@herald>";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
