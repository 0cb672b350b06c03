package dev.herald.ingest.webhook;

import dev.herald.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Checks a webhook's credentials: a bearer token, the token as the last path segment, or a Standard Webhooks
 * signature. A request that carries a signature while a signing secret is set must have a valid one, whatever
 * token it also carries: a signature that does not verify means the body was changed or replayed.
 */
@ApplicationScoped
class WebhookAuthenticator {

    static final String WEBHOOK_ID = "webhook-id";
    static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    static final String WEBHOOK_SIGNATURE = "webhook-signature";

    private final List<byte[]> tokenDigests;
    private final Optional<SignatureVerifier> signatureVerifier;

    @Inject
    WebhookAuthenticator(IngestConfig config) {
        this(config, Clock.systemUTC());
    }

    WebhookAuthenticator(IngestConfig config, Clock clock) {
        this.tokenDigests = config.ingest().tokens().orElse(List.of()).stream()
                .map(String::trim)
                .filter(token -> !token.isEmpty())
                .map(WebhookAuthenticator::digest)
                .toList();
        this.signatureVerifier = config.ingest().signingSecret()
                .filter(secret -> !secret.isBlank())
                .map(secret -> new SignatureVerifier(secret.trim(), config.ingest().signatureTolerance(), clock));
    }

    /**
     * @param authorization the Authorization header, or null
     * @param pathToken the token path segment, or null
     */
    Authentication authenticate(String authorization, String pathToken, SignatureHeaders signature, byte[] body) {
        if (signature.present()) {
            if (signatureVerifier.isEmpty()) {
                if (authorization == null && pathToken == null) {
                    return new Authentication.Refused("this receiver has no signing secret configured; "
                            + "authenticate with a bearer token instead");
                }
            } else {
                SignatureVerifier.Verdict verdict = signatureVerifier.get()
                        .verify(signature.id(), signature.timestamp(), signature.signatures(), body);
                return verdict == SignatureVerifier.Verdict.VALID
                        ? new Authentication.Accepted("signature")
                        : new Authentication.Refused(verdict.reason);
            }
        }
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return new Authentication.Refused("the Authorization header must use the Bearer scheme");
            }
            return isAccepted(authorization.substring(7).trim())
                    ? new Authentication.Accepted("bearer")
                    : new Authentication.Refused("the bearer token is not accepted");
        }
        if (pathToken != null) {
            return isAccepted(pathToken)
                    ? new Authentication.Accepted("path-token")
                    : new Authentication.Refused("the token in the path is not accepted");
        }
        return new Authentication.Refused("no credentials: send \"Authorization: Bearer <token>\", post to "
                + "/webhooks/uniskai/<token>, or sign the request with Standard Webhooks headers");
    }

    /** Compares against every configured token in constant time, without stopping at the first match. */
    private boolean isAccepted(String token) {
        byte[] given = digest(token);
        boolean accepted = false;
        for (byte[] expected : tokenDigests) {
            accepted |= MessageDigest.isEqual(expected, given);
        }
        return accepted;
    }

    /** Comparing digests keeps the comparison time independent of the tokens' lengths. */
    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * The three Standard Webhooks headers as received. A request is signed when it sends a timestamp or a
     * signature; {@code webhook-id} alone is only an idempotency key.
     */
    record SignatureHeaders(String id, String timestamp, String signatures) {
        boolean present() {
            return timestamp != null || signatures != null;
        }
    }
}
