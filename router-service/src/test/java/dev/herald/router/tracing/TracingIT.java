package dev.herald.router.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.TopicReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The router's span joins the trace of the raw record (the ingest's span) and is what the routed record carries. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class TracingIT {

    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String INGEST_SPAN = "b7ad6b7169203331";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void routingSpanIsAChildOfTheIngestSpanAndTravelsOn() throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.CE_ID, utf8("traced-route-1"));
        headers.add(EventHeaders.ID_SOURCE, utf8("sender"));
        headers.add(EventHeaders.TRACEPARENT, utf8("00-" + TRACE + "-" + INGEST_SPAN + "-01"));
        try (var producer = new KafkaProducer<String, byte[]>(Map.of("bootstrap.servers", bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("uniskai.webhooks.raw", null, "k",
                    DocumentedExamples.of(EventType.SPOT_ROLLBACK), headers)).get();
        }

        String traceparent;
        try (TopicReader routed = new TopicReader(bootstrapServers, "uniskai.events.spot-rollback")) {
            traceparent = TopicReader.header(routed.awaitRecord(
                    r -> "traced-route-1".equals(TopicReader.header(r, "ce_id")), Duration.ofSeconds(60)), "traceparent");
        }
        assertThat(traceparent).startsWith("00-" + TRACE + "-").doesNotContain(INGEST_SPAN);
        String routerSpan = traceparent.split("-")[2];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(span -> span.getSpanId().equals(routerSpan))
                .singleElement()
                .satisfies(span -> {
                    assertThat(span.getName()).isEqualTo("route spot-rollback");
                    assertThat(span.getTraceId()).isEqualTo(TRACE);
                    assertThat(span.getParentSpanId()).isEqualTo(INGEST_SPAN);
                }));
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
