package dev.herald.notifier.delivery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where one delivery goes: a channel and an address on it (a mailbox, a Slack webhook URL). A Slack webhook URL is a
 * secret; {@link #redacted()} is the only form of it that may reach logs, metrics and outcome records.
 */
public record Destination(String channel, String address) {

    public static final String EMAIL = "email";
    public static final String SLACK = "slack";

    /** A stable short hash of channel and address: names the destination in ids and stored records without revealing it. */
    public String key() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((channel + "\n" + address).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

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
