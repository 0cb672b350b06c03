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
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The trace a webhook starts (or continues) is the one its raw record carries on to the router. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class TracingIT {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SENDER_SPAN = "00f067aa0ba902b7";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void rawRecordCarriesTheIngestsSpanInTheSendersTrace() {
        given().header("Authorization", "Bearer test-token").header("webhook-id", "traced-1")
                .header("traceparent", "00-" + TRACE + "-" + SENDER_SPAN + "-01")
                .contentType("application/json").body(DocumentedExamples.of(EventType.SPOT_RECREATED))
                .when().post("/webhooks/uniskai").then().statusCode(202);

        String traceparent;
        try (TopicReader raw = new TopicReader(bootstrapServers, "uniskai.webhooks.raw")) {
            traceparent = TopicReader.header(raw.awaitRecord(r -> "traced-1".equals(TopicReader.header(r, "ce_id")),
                    Duration.ofSeconds(30)), "traceparent");
        }
        assertThat(traceparent).startsWith("00-" + TRACE + "-").endsWith("-01");
        String ingestSpan = traceparent.split("-")[2];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(span -> span.getSpanId().equals(ingestSpan))
                .singleElement()
                .satisfies(span -> {
                    assertThat(span.getTraceId()).isEqualTo(TRACE);
                    assertThat(span.getParentSpanId()).isEqualTo(SENDER_SPAN);
                }));
    }

    @Test
    void aTokenInThePathReachesNoSpan() {
        given().header("webhook-id", "traced-path").contentType("application/json")
                .body(DocumentedExamples.of(EventType.SPOT_RECREATED))
                .when().post("/webhooks/uniskai/test-token").then().statusCode(202);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .anySatisfy(span -> assertThat(span.getAttributes().get(PathTokenRedaction.URL_PATH))
                        .isEqualTo("/webhooks/uniskai/{token}")));
        assertThat(spans.getFinishedSpanItems()).allSatisfy(span -> {
            assertThat(span.getName()).doesNotContain("test-token");
            span.getAttributes().forEach((key, value) -> assertThat(String.valueOf(value)).doesNotContain("test-token"));
        });
    }

}
