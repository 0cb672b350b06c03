package dev.herald.notifier.channel.email;

import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.Destination;
import dev.herald.notifier.delivery.SendResult;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Email over SMTP ({@code quarkus-mailer}): multipart HTML and text from the templates, one mail per recipient, with
 * a Message-ID derived from the delivery id so that every attempt of a delivery carries the same one.
 */
@ApplicationScoped
class EmailChannel implements Channel {

    private final Mailer mailer;

    EmailChannel(Mailer mailer) {
        this.mailer = mailer;
    }

    @Override
    public String name() {
        return Destination.EMAIL;
    }

    @Override
    public Optional<String> refusal(String address) {
        return Optional.empty();
    }

    @Override
    public SendResult send(Delivery delivery, UniskaiEvent event) {
        EmailMessage message = EmailMessage.of(event, delivery.eventId());
        Mail mail = Mail.withHtml(delivery.destination().address(), message.subject(), message.html())
                .setText(message.text())
                .addHeader("Message-ID", messageId(delivery.id()))
                .addHeader("X-Herald-Event-Id", MailHeaderText.clean(delivery.eventId()))
                .addHeader("X-Herald-Event-Type", MailHeaderText.clean(delivery.type()));
        try {
            mailer.send(mail);
            return new SendResult.Sent();
        } catch (RuntimeException e) {
            // The mail server is down, slow or refused us: another attempt later may succeed.
            return new SendResult.Retry("SMTP: " + describe(e), Optional.empty());
        }
    }

    static String messageId(String deliveryId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(deliveryId.getBytes(StandardCharsets.UTF_8));
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
