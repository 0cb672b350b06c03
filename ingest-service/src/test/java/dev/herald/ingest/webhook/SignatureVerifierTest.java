package dev.herald.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Herald's verifier against signatures made by the Standard Webhooks reference library. */
class SignatureVerifierTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OTHER_SECRET = "whsec_dGhlLW90aGVyLXNlY3JldC1vZi10aGUtc2VuZGVy";
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final String BODY = "{\"type\":\"spot-recreated\",\"resources\":[]}";

    private final SignatureVerifier verifier =
            new SignatureVerifier(SECRET, Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsTheReferenceLibrarysSignature() throws Exception {
        String signature = new Webhook(SECRET).sign("msg_1", NOW.getEpochSecond(), BODY);

        assertThat(verify("msg_1", NOW, signature, BODY)).isEqualTo(SignatureVerifier.Verdict.VALID);
    }

    @Test
    void acceptsAnyOfSeveralSignaturesSoSecretsCanRotate() throws Exception {
        String old = new Webhook(OTHER_SECRET).sign("msg_1", NOW.getEpochSecond(), BODY);
        String current = new Webhook(SECRET).sign("msg_1", NOW.getEpochSecond(), BODY);

        assertThat(verify("msg_1", NOW, old + " " + current, BODY)).isEqualTo(SignatureVerifier.Verdict.VALID);
    }

    @Test
    void refusesASignatureMadeWithAnotherSecret() throws Exception {
        String signature = new Webhook(OTHER_SECRET).sign("msg_1", NOW.getEpochSecond(), BODY);

        assertThat(verify("msg_1", NOW, signature, BODY)).isEqualTo(SignatureVerifier.Verdict.NO_MATCH);
    }

    @Test
    void refusesABodyChangedByOneByte() throws Exception {
        String signature = new Webhook(SECRET).sign("msg_1", NOW.getEpochSecond(), BODY);

        assertThat(verify("msg_1", NOW, signature, BODY.replace("[]", "[ ]"))).isEqualTo(SignatureVerifier.Verdict.NO_MATCH);
    }

    @Test
    void refusesAnotherIdForTheSameSignature() throws Exception {
        String signature = new Webhook(SECRET).sign("msg_1", NOW.getEpochSecond(), BODY);

        assertThat(verify("msg_2", NOW, signature, BODY)).isEqualTo(SignatureVerifier.Verdict.NO_MATCH);
    }

    @Test
    void refusesTimestampsOutsideTheToleranceInBothDirections() throws Exception {
        Instant stale = NOW.minus(Duration.ofMinutes(5)).minusSeconds(1);
        Instant future = NOW.plus(Duration.ofMinutes(5)).plusSeconds(1);

        assertThat(verify("m", stale, new Webhook(SECRET).sign("m", stale.getEpochSecond(), BODY), BODY))
                .isEqualTo(SignatureVerifier.Verdict.TOO_OLD);
        assertThat(verify("m", future, new Webhook(SECRET).sign("m", future.getEpochSecond(), BODY), BODY))
                .isEqualTo(SignatureVerifier.Verdict.TOO_NEW);
    }

    @Test
    void acceptsTimestampsAtTheEdgeOfTheTolerance() throws Exception {
        Instant edge = NOW.minus(Duration.ofMinutes(5));

        assertThat(verify("m", edge, new Webhook(SECRET).sign("m", edge.getEpochSecond(), BODY), BODY))
                .isEqualTo(SignatureVerifier.Verdict.VALID);
    }

    @Test
    void verifiesNonAsciiBodiesOnTheirRawBytes() throws Exception {
        String body = "{\"type\":\"spot-recreated\",\"note\":\"Zürich – 東京\"}";
        String signature = new Webhook(SECRET).sign("m", NOW.getEpochSecond(), body);

        assertThat(verify("m", NOW, signature, body)).isEqualTo(SignatureVerifier.Verdict.VALID);
    }

    @Test
    void reportsMissingAndMalformedHeaders() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);

        assertThat(verifier.verify(null, "1", "v1,abc", body)).isEqualTo(SignatureVerifier.Verdict.MISSING_HEADERS);
        assertThat(verifier.verify("m", null, "v1,abc", body)).isEqualTo(SignatureVerifier.Verdict.MISSING_HEADERS);
        assertThat(verifier.verify("m", "yesterday", "v1,abc", body)).isEqualTo(SignatureVerifier.Verdict.MALFORMED_TIMESTAMP);
        assertThat(verifier.verify("m", String.valueOf(NOW.getEpochSecond()), "v2,abc v1,!!", body))
                .isEqualTo(SignatureVerifier.Verdict.NO_MATCH);
    }

    private SignatureVerifier.Verdict verify(String id, Instant timestamp, String signature, String body) {
        return verifier.verify(id, String.valueOf(timestamp.getEpochSecond()), signature,
                body.getBytes(StandardCharsets.UTF_8));
    }
}
