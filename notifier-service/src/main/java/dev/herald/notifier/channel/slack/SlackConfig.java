package dev.herald.notifier.channel.slack;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The Slack channel's settings; each key is also an environment variable, e.g. {@code HERALD_SLACK_ALLOWED_URL_PREFIXES}. */
@ConfigMapping(prefix = "herald.slack")
interface SlackConfig {

    /** URL prefixes a Slack webhook may start with; a route outside them stops the start-up. */
    @WithDefault("https://hooks.slack.com/")
    List<String> allowedUrlPrefixes();

    /** Messages per second per webhook, so Herald never provokes a 429 storm (Slack allows about one). */
    @WithDefault("1")
    double messagesPerSecond();

    /** Messages a webhook may receive at once before the rate applies. */
    @WithDefault("3")
    int burst();

    /** How long one request to Slack may take. */
    @WithDefault("10s")
    Duration timeout();

    /** Sender name shown in Slack; empty keeps the webhook's own. */
    Optional<String> username();
}
