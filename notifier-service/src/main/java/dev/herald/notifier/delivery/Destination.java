package dev.herald.notifier.delivery;

import java.net.URI;

/**
 * Where one delivery goes: a channel and an address on it (a mailbox, a Slack webhook URL). A Slack webhook URL is a
 * secret; {@link #redacted()} is the only form of it that may reach logs, metrics and outcome records.
 */
public record Destination(String channel, String address) {

    public static final String EMAIL = "email";
    public static final String SLACK = "slack";

    public String redacted() {
        if (!SLACK.equals(channel)) {
            return address;
        }
        try {
            URI uri = URI.create(address);
            return uri.getScheme() + "://" + uri.getHost() + "/…";
        } catch (IllegalArgumentException e) {
            return "slack-webhook/…";
        }
    }

    @Override
    public String toString() {
        return channel + ":" + redacted();
    }
}
