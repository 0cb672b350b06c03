package dev.herald.ingest.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.DocumentedMetrics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class WebhookIntakeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private TopicReader raw;

    @BeforeEach
    void openRawTopic() {
        raw = new TopicReader(bootstrapServers, "uniskai.webhooks.raw");
    }

    @AfterEach
    void closeRawTopic() {
        raw.close();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void documentedExampleIsAcceptedAndStoredByteForByte(EventType type) {
        byte[] body = DocumentedExamples.of(type);
        String webhookId = "msg_" + UUID.randomUUID();
        Instant before = Instant.now();

        given().header("Authorization", "Bearer test-token").header("webhook-id", webhookId)
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .contentType("application/json").body(body)
                .when().post("/webhooks/uniskai")
                .then().statusCode(202)
                .body("id", equalTo(webhookId))
                .body("type", equalTo(type.typeName()));

        ConsumerRecord<String, byte[]> record = raw.awaitRecord(r -> webhookId.equals(TopicReader.header(r, "ce_id")), WAIT);
        assertThat(record.value()).isEqualTo(body);
        assertThat(TopicReader.header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(TopicReader.header(record, "ce_type")).isEqualTo(type.typeName());
        assertThat(TopicReader.header(record, "ce_source")).isEqualTo(EventHeaders.SOURCE);
        assertThat(Instant.parse(TopicReader.header(record, "ce_time"))).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(TopicReader.header(record, "content-type")).isEqualTo("application/json");
        assertThat(TopicReader.header(record, "traceparent"))
                .matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01")
                .isNotEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(TopicReader.header(record, EventHeaders.BODY_SHA256)).isEqualTo(sha256(body));
        assertThat(TopicReader.header(record, EventHeaders.ID_SOURCE)).isEqualTo("sender");
        String expectedKey = switch (type) {
            case TEAM_MEMBER_PERMISSION_REQUEST, TRIAL_PERIOD_ENDING, TRIAL_PERIOD_ENDED -> "12345678";
            case CLOUDSITTER_START_STOP -> "111111111111";
            default -> webhookId;
        };
        assertThat(record.key()).isEqualTo(expectedKey);
    }

    @Test
    void eventWithoutIdHeaderGetsAGeneratedUuidV7AndIsKeyedByItsBodySoARetryMeetsIt() {
        String id = given().header("Authorization", "Bearer test-token").contentType("application/json")
                .body(DocumentedExamples.of(EventType.SPOT_ROLLBACK))
                .when().post("/webhooks/uniskai")
                .then().statusCode(202).extract().path("id");

        assertThat(UUID.fromString(id).version()).isEqualTo(7);
        ConsumerRecord<String, byte[]> record = raw.awaitRecord(r -> id.equals(TopicReader.header(r, "ce_id")), WAIT);
        assertThat(record.key()).isEqualTo("sha256:" + sha256(DocumentedExamples.of(EventType.SPOT_ROLLBACK)));
        assertThat(TopicReader.header(record, EventHeaders.ID_SOURCE)).isEqualTo("generated");
        assertThat(TopicReader.header(record, "traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void idempotencyKeyBecomesTheEventId() {
        String key = "order-" + UUID.randomUUID();

        given().header("Authorization", "Bearer test-token").header("Idempotency-Key", key)
                .contentType("application/json").body(DocumentedExamples.of(EventType.SPOT_RECREATED))
                .when().post("/webhooks/uniskai")
                .then().statusCode(202).body("id", equalTo(key));

        assertThat(raw.awaitRecord(r -> key.equals(TopicReader.header(r, "ce_id")), WAIT)).isNotNull();
    }

    @Test
    void undocumentedTypeWithUnknownFieldsIsAcceptedAsSent() {
        String body = "{\"type\":\"budget-exceeded\",\"budget\":{\"limit\":100,\"spent\":140.5},\"note\":\"<b>\"}";
        String id = "msg_" + UUID.randomUUID();

        given().header("Authorization", "Bearer rotated-token").header("webhook-id", id)
                .contentType("application/json; charset=utf-8").body(body)
                .when().post("/webhooks/uniskai")
                .then().statusCode(202).body("type", equalTo("budget-exceeded"));

        ConsumerRecord<String, byte[]> record = raw.awaitRecord(r -> id.equals(TopicReader.header(r, "ce_id")), WAIT);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(TopicReader.header(record, "ce_type")).isEqualTo("budget-exceeded");
    }

    @Test
    void tokenInThePathAuthenticatesSendersThatOnlyHaveAUrl() {
        given().contentType("application/json").body(DocumentedExamples.of(EventType.TRIAL_PERIOD_ENDED))
                .when().post("/webhooks/uniskai/test-token")
                .then().statusCode(202);

        given().contentType("application/json").body(DocumentedExamples.of(EventType.TRIAL_PERIOD_ENDED))
                .when().post("/webhooks/uniskai/not-a-token")
                .then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("the token in the path is not accepted"));
    }

    @Test
    void healthAndMetricsAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);

        given().header("Authorization", "Bearer test-token").contentType("application/json")
                .body(DocumentedExamples.of(EventType.SPOT_RECREATED)).post("/webhooks/uniskai").then().statusCode(202);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("herald_webhooks_received_total\\{outcome=\"accepted\",type=\"spot-recreated\"} [1-9]")
                .contains("herald_ingest_publish_latency_seconds_bucket")
                .contains("kafka_producer_record_send_total");
        assertThat(DocumentedMetrics.missingFrom(metrics, "ingest")).as("documented in docs/metrics.md").isEmpty();
    }

    @Test
    void openApiDocumentsTheEndpointItsAuthenticationAndEveryResponse() {
        String openApi = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();

        assertThat(openApi).contains("/webhooks/uniskai", "/webhooks/uniskai/{token}", "standard-webhooks-signature",
                "\"bearer\"", "trial-period-ending", "Retry-After");
        for (String status : new String[] {"202", "400", "401", "413", "415", "422", "503"}) {
            assertThat(openApi).contains("\"" + status + "\"");
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
