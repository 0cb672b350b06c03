package dev.herald.notifier.channel.email;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * The email channel's own settings; the SMTP server is Quarkus' ({@code quarkus.mailer.*}). Each key is also an
 * environment variable, e.g. {@code HERALD_EMAIL_MESSAGES_PER_SECOND}.
 */
@ConfigMapping(prefix = "herald.email")
interface EmailConfig {

    /** Emails per second to one mailbox; unset for no limit (mail servers queue what they get). */
    Optional<Double> messagesPerSecond();

    /** Emails a mailbox may receive at once before {@code messages-per-second} applies. */
    @WithDefault("10")
    int burst();

    /**
     * Emails to one mailbox sent at once and not yet marked done: more is faster for a busy mailbox, and is also the
     * most a crash can send twice to it. Above 1, a mailbox's emails may arrive out of order (mail clients sort by date).
     */
    @WithDefault("8")
    int inFlight();
}
