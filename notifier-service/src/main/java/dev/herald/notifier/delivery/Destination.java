package dev.herald.notifier.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where one delivery goes: a channel and an address on it (a mailbox, a Slack webhook URL). The address can be a
 * secret; {@code redacted}, made by the channel, is the only form of it that may reach logs, metrics and records.
 *
 * @param key {@link #keyOf} of channel and address, made once (by the three-argument constructor): it names the
 *     destination in every delivery's id, key and lane. Given only for a destination gone from the routes file,
 *     known by the key its deliveries carry and not by its address
 */
public record Destination(String channel, String address, String redacted, String key) {

    public Destination(String channel, String address, String redacted) {
        this(channel, address, redacted, keyOf(channel, address));
    }

    /** A stable short hash of channel and address: names the destination in ids, keys and records without revealing it. */
    public static String keyOf(String channel, String address) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest((channel + "\n" + address).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return channel + ":" + redacted;
    }
}
