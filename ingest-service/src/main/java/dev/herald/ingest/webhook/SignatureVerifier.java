package dev.herald.ingest.webhook;

import dev.herald.ingest.config.SigningSecret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies Standard Webhooks signatures: HMAC-SHA256 over {@code id.timestamp.body} on the raw body bytes, any of
 * several space-separated {@code v1,<base64>} signatures (so a sender can sign with an old and a new secret while
 * rotating), a timestamp within the tolerance in both directions, and constant-time comparison.
 *
 * <p>Written here rather than taken from the reference library {@code com.standardwebhooks:standardwebhooks}
 * because that library verifies a {@code String} payload and re-encodes it with the platform charset
 * ({@code String.getBytes()}), which breaks non-ASCII bodies on a JVM whose default charset is not UTF-8.
 * The tests sign with the reference library, so the two are checked against each other.
 */
final class SignatureVerifier {

    enum Verdict {
        VALID("signature verified"),
        MISSING_HEADERS("a signed request needs the webhook-id, webhook-timestamp and webhook-signature headers"),
        MALFORMED_TIMESTAMP("webhook-timestamp must be a Unix time in seconds"),
        TOO_OLD("webhook-timestamp is too old: the request is outside the replay window"),
        TOO_NEW("webhook-timestamp lies too far in the future"),
        NO_MATCH("no signature in webhook-signature matches the body");

        final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }
    }

    private final SecretKeySpec key;
    private final Duration tolerance;
    private final Clock clock;

    SignatureVerifier(String secret, Duration tolerance, Clock clock) {
        this.key = new SecretKeySpec(SigningSecret.parse(secret).key(), "HmacSHA256");
        this.tolerance = tolerance;
        this.clock = clock;
    }

    Verdict verify(String id, String timestamp, String signatures, byte[] body) {
        if (isBlank(id) || isBlank(timestamp) || isBlank(signatures)) {
            return Verdict.MISSING_HEADERS;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verdict.MALFORMED_TIMESTAMP;
        }
        long now = clock.instant().getEpochSecond();
        if (seconds < now - tolerance.toSeconds()) {
            return Verdict.TOO_OLD;
        }
        if (seconds > now + tolerance.toSeconds()) {
            return Verdict.TOO_NEW;
        }
        byte[] expected = sign(id, timestamp.trim(), body);
        boolean matched = false;
        for (String candidate : signatures.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !candidate.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            // No early exit: every candidate costs the same, whichever matches.
            matched |= MessageDigest.isEqual(expected, given);
        }
        return matched ? Verdict.VALID : Verdict.NO_MATCH;
    }

    private byte[] sign(String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
