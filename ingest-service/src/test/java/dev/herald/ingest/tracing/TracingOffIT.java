package dev.herald.ingest.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.TopicReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * With the OpenTelemetry SDK off, as in production by default, the raw record still carries a traceparent: a child
 * of the sender's trace, or the root of a new one, so the router and the notifier continue it.
 */
@QuarkusTest
@TestProfile(TracingOffIT.SdkDisabled.class)
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class TracingOffIT {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SENDER_SPAN = "00f067aa0ba902b7";

    public static class SdkDisabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "true");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void rawRecordContinuesTheSendersTraceWithoutRecordingSpans() {
        post("untraced-1", "00-" + TRACE + "-" + SENDER_SPAN + "-01");

        String[] traceparent = rawTraceparent("untraced-1").split("-");
        assertThat(traceparent).hasSize(4);
        assertThat(traceparent[0]).isEqualTo("00");
        assertThat(traceparent[1]).isEqualTo(TRACE);
        assertThat(traceparent[2]).matches("[0-9a-f]{16}").isNotEqualTo(SENDER_SPAN);
        assertThat(traceparent[3]).isEqualTo("01");
        // No span for half a second: several of the test profile's 50 ms export delays.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> spans.getFinishedSpanItems().isEmpty());
    }

    @Test
    void rawRecordStartsATraceWhenTheSenderSentNone() {
        post("untraced-2", null);

        assertThat(rawTraceparent("untraced-2")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                .doesNotStartWith("00-" + "0".repeat(32));
    }

    private static void post(String webhookId, String traceparent) {
        var request = given().header("Authorization", "Bearer test-token").header("webhook-id", webhookId);
        if (traceparent != null) {
            request = request.header("traceparent", traceparent);
        }
        request.contentType("application/json").body(DocumentedExamples.of(EventType.SPOT_RECREATED))
                .when().post("/webhooks/uniskai").then().statusCode(202);
    }

    private String rawTraceparent(String webhookId) {
        try (TopicReader raw = new TopicReader(bootstrapServers, "uniskai.webhooks.raw")) {
            return TopicReader.header(raw.awaitRecord(r -> webhookId.equals(TopicReader.header(r, "ce_id")),
                    Duration.ofSeconds(30)), "traceparent");
        }
    }
}
