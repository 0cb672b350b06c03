package dev.herald.ingest.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class WebhookRejectionIT {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void requestWithoutCredentialsIs401WithAChallenge() {
        post(null, "application/json", DocumentedExamples.of(EventType.SPOT_RECREATED))
                .statusCode(401).contentType(PROBLEM_JSON)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401))
                .body("detail", containsString("no credentials"));
    }

    @Test
    void wrongTokenIs401AndTheTokenIsNotEchoed() {
        post("Bearer s3cr3t-guess", "application/json", DocumentedExamples.of(EventType.SPOT_RECREATED))
                .statusCode(401).contentType(PROBLEM_JSON)
                .body("detail", equalTo("the bearer token is not accepted"))
                .body(not(containsString("s3cr3t-guess")));
    }

    @Test
    void nonJsonContentTypeIs415() {
        post("Bearer test-token", "text/plain", DocumentedExamples.of(EventType.SPOT_RECREATED))
                .statusCode(415).contentType(PROBLEM_JSON)
                .body("detail", containsString("Content-Type must be application/json, got \"text/plain"));
    }

    @Test
    void bodyThatIsNotJsonIs400() {
        post("Bearer test-token", "application/json", utf8("{\"type\": spot"))
                .statusCode(400).contentType(PROBLEM_JSON)
                .body("type", equalTo("https://herald.dev/problems/malformed-body"))
                .body("detail", containsString("not valid JSON"));
    }

    @Test
    void bodyThatIsNotAnObjectIs400() {
        post("Bearer test-token", "application/json", utf8("[{\"type\":\"spot-recreated\"}]"))
                .statusCode(400).body("detail", equalTo("body is a JSON array; expected a JSON object"));
    }

    @Test
    void bodyWithoutAStringTypeIs400() {
        post("Bearer test-token", "application/json", utf8("{\"resources\":[]}"))
                .statusCode(400).body("detail", containsString("$.type is missing"));
        post("Bearer test-token", "application/json", utf8("{\"type\":42}"))
                .statusCode(400).body("detail", equalTo("$.type must be a non-empty string"));
    }

    @Test
    void documentedTypeWithBrokenFieldsIs422ListingEveryViolatedPath() {
        String body = """
                {"type":"cloudsitter-policy-failed","failed_action":"sometimes",
                 "resources":[{"name":"i-1","type":"Instance","error":"denied"},{"name":"","type":"t","region":"r","error":"e"}]}""";

        post("Bearer test-token", "application/json", utf8(body))
                .statusCode(422).contentType(PROBLEM_JSON)
                .body("violations.path", hasItems("$.failed_action", "$.resources[0].region", "$.resources[1].name"))
                .body("violations.size()", equalTo(3))
                .body("detail", containsString("$.failed_action must be \"on\" or \"off\""));
    }

    @Test
    void numberWhereTheDocumentationSaysStringIs422AtItsPath() {
        String body = """
                {"type":"trial-period-ended","accounts":[{"account_name":"Dev","account_id":12345678}]}""";

        post("Bearer test-token", "application/json", utf8(body))
                .statusCode(422).body("violations[0].path", equalTo("$.accounts[0].account_id"))
                .body("violations[0].message", equalTo("must be a string"));
    }

    @Test
    void declaredBodyOverTheLimitIs413BeforeItIsRead() {
        byte[] twoMegabytes = new byte[2 * 1024 * 1024];

        post("Bearer test-token", "application/json", twoMegabytes)
                .statusCode(413).contentType(PROBLEM_JSON)
                .body("detail", containsString("1048576 bytes"));
    }

    @Test
    void streamedBodyOverTheLimitIsRefusedWithoutAServerError() {
        byte[] twoMegabytes = new byte[2 * 1024 * 1024];

        given().header("Authorization", "Bearer test-token").contentType("application/json")
                .body(new ByteArrayInputStream(twoMegabytes))
                .when().post("/webhooks/uniskai")
                .then().statusCode(413);
    }

    @Test
    void eventIdThatCannotBeAKeyIs400() {
        given().header("Authorization", "Bearer test-token").header("Idempotency-Key", "x".repeat(300))
                .contentType("application/json").body(DocumentedExamples.of(EventType.SPOT_RECREATED))
                .when().post("/webhooks/uniskai")
                .then().statusCode(400).body("type", equalTo("https://herald.dev/problems/bad-event-id"));
    }

    static Stream<Arguments> hostileBodies() {
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        byte[] invalidUtf8 = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        return Stream.of(
                Arguments.of("random bytes", random),
                Arguments.of("truncated JSON", utf8("{\"type\":\"spot-recreated\",\"resources\":[{\"name\":")),
                Arguments.of("100,000 nested arrays", utf8("[".repeat(100_000) + "]".repeat(100_000))),
                Arguments.of("100,000 nested objects", utf8("{\"type\":\"x\",\"a\":".repeat(50_000))),
                Arguments.of("invalid UTF-8", invalidUtf8),
                Arguments.of("empty body", new byte[0]),
                Arguments.of("NUL bytes", new byte[64]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void malformedInputIsAClientErrorNeverAServerError(String name, byte[] body) {
        post("Bearer test-token", "application/json", body)
                .statusCode(lessThan(500)).statusCode(400).contentType(PROBLEM_JSON);

        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void wrongMethodAndPathAnswerInProblemJson() {
        given().when().get("/webhooks/uniskai").then().statusCode(405).contentType(PROBLEM_JSON);
    }

    private static ValidatableResponse post(String authorization, String contentType, byte[] body) {
        var request = given().contentType(contentType).body(body);
        if (authorization != null) {
            request = request.header("Authorization", authorization);
        }
        return request.when().post("/webhooks/uniskai").then();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void problemBodiesNeverCarryStackTraces() {
        String body = post("Bearer test-token", "application/json", utf8("{\"type\": ")).statusCode(400)
                .extract().asString();

        assertThat(body).doesNotContain("Exception", "at com.fasterxml", "\tat ");
    }
}
