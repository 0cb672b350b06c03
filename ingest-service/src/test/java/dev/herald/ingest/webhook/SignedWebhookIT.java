package dev.herald.ingest.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.standardwebhooks.Webhook;
import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signatures made by the reference library, checked end to end over HTTP. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class SignedWebhookIT {

    /** The test profile's HERALD_INGEST_SIGNING_SECRET. */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OLD_SECRET = "whsec_b2xkLXNlY3JldC1iZWZvcmUtcm90YXRpb24=";
    private static final String BODY =
            new String(DocumentedExamples.of(EventType.CLOUDSITTER_POLICY_FAILED), StandardCharsets.UTF_8);

    @Test
    void validSignatureIsAcceptedWithoutAToken() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();

        signed(id, now, new Webhook(SECRET).sign(id, now, BODY), BODY)
                .statusCode(202).body("id", equalTo(id));
    }

    @Test
    void signatureWithTheWrongSecretIs401() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();

        signed(id, now, new Webhook(OLD_SECRET).sign(id, now, BODY), BODY)
                .statusCode(401).body("detail", equalTo("no signature in webhook-signature matches the body"));
    }

    @Test
    void staleTimestampIs401() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long stale = Instant.now().minusSeconds(5 * 60 + 30).getEpochSecond();

        signed(id, stale, new Webhook(SECRET).sign(id, stale, BODY), BODY)
                .statusCode(401).body("detail", containsString("too old"));
    }

    @Test
    void futureTimestampIs401() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long future = Instant.now().plusSeconds(5 * 60 + 30).getEpochSecond();

        signed(id, future, new Webhook(SECRET).sign(id, future, BODY), BODY)
                .statusCode(401).body("detail", containsString("future"));
    }

    @Test
    void secondSignatureIsAcceptedDuringRotation() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        String both = new Webhook(OLD_SECRET).sign(id, now, BODY) + " " + new Webhook(SECRET).sign(id, now, BODY);

        signed(id, now, both, BODY).statusCode(202);
    }

    @Test
    void bodyChangedByOneByteIs401() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        String signature = new Webhook(SECRET).sign(id, now, BODY);

        signed(id, now, signature, BODY.replace("\"on\"", "\"of\"")).statusCode(401);
    }

    @Test
    void signatureWithoutTimestampOrIdIs401() throws Exception {
        long now = Instant.now().getEpochSecond();
        String signature = new Webhook(SECRET).sign("msg_1", now, BODY);

        given().header("webhook-id", "msg_1").header("webhook-signature", signature)
                .contentType("application/json").body(BODY)
                .when().post("/webhooks/uniskai")
                .then().statusCode(401).body("detail", containsString("webhook-timestamp"));
        given().header("webhook-timestamp", now).header("webhook-signature", signature)
                .contentType("application/json").body(BODY)
                .when().post("/webhooks/uniskai")
                .then().statusCode(401).body("detail", containsString("webhook-id"));
    }

    @Test
    void badSignatureIsRefusedEvenWithAValidToken() {
        String id = "msg_" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();

        given().header("Authorization", "Bearer test-token")
                .header("webhook-id", id).header("webhook-timestamp", now).header("webhook-signature", "v1,AAAA")
                .contentType("application/json").body(BODY)
                .when().post("/webhooks/uniskai")
                .then().statusCode(401);
    }

    private static ValidatableResponse signed(String id, long timestamp, String signature, String body) {
        return given().header("webhook-id", id).header("webhook-timestamp", timestamp)
                .header("webhook-signature", signature)
                .contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8))
                .when().post("/webhooks/uniskai").then();
    }
}
