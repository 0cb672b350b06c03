package dev.herald.router.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.kafka.embedded.TopicReader;
import dev.herald.kafka.embedded.DocumentedMetrics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.LargestRecord;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The router in Quarkus, on the real broker, with exactly-once processing. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class RouterIT {

    private static final Topics TOPICS = Topics.withDefaultPrefix();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void tenThousandMixedEventsLandExactlyOnceInTheirTopics() {
        MixedRawEvents events = new MixedRawEvents(TOPICS, "it", 10_000, 7);
        assertThat(events.expectedIdsByTopic).hasSize(TOPICS.eventTopics().size());

        events.produceAll(bootstrapServers, TOPICS.raw());

        RoutedTopics.assertExactlyOnce(bootstrapServers, "it", events, TOPICS.routerDeadLetter(), Duration.ofSeconds(120));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("herald_router_records_routed_total{topic=\"uniskai.events.spot-recreated\"}")
                .contains("herald_router_records_dead_lettered_total{reason=\"malformed-body\"}")
                .contains("herald_router_records_dead_lettered_total{reason=\"missing-event-id\"}")
                .contains("herald_router_duplicates_dropped_total{matched_by=\"event_id\"}")
                .contains("herald_router_duplicates_dropped_total{matched_by=\"body\"}")
                .contains("herald_router_routing_latency_seconds_bucket")
                .contains("kafka_consumer_fetch_manager_records_lag_max")
                .contains("kafka_producer_record_send_total");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                given().when().get("/q/metrics").then().extract().asString())
                .contains("herald_consumer_lag_seconds{group=\"herald-router\",topic=\"uniskai.webhooks.raw\"} 0.0")
                .contains("herald_consumer_lag_records{group=\"herald-router\",topic=\"uniskai.webhooks.raw\"} 0.0"));
        assertThat(DocumentedMetrics.missingFrom(metrics, "router")).as("documented in docs/metrics.md").isEmpty();
    }

    @Test
    void aRecordAtTheTopicsLimitFromAnotherProducerIsDeadLetteredWithoutItsBodyAndRoutingGoesOn() throws Exception {
        // Within 8 bytes of the largest record the raw topic takes: stored as written, while its dead letter with the
        // body and Herald's headers would not fit.
        LargestRecord.write(bootstrapServers, RecordSizeLimits.EVENT_RECORD_BYTES, size -> {
            byte[] filler = new byte[size];
            java.util.Arrays.fill(filler, (byte) 'x');
            return new ProducerRecord<>(TOPICS.raw(), 0, null, null, filler,
                    List.of(new RecordHeader(EventHeaders.CE_ID, "big-1".getBytes(StandardCharsets.UTF_8))));
        });
        try (KafkaProducer<String, byte[]> producer = MixedRawEvents.producer(bootstrapServers)) {
            producer.send(new ProducerRecord<>(TOPICS.raw(), 0, null, null, DocumentedExamples.of(EventType.SPOT_RECREATED),
                    List.of(new RecordHeader(EventHeaders.CE_ID, "after-big-1".getBytes(StandardCharsets.UTF_8))))).get();
        }

        try (TopicReader deadLetters = new TopicReader(bootstrapServers, TOPICS.routerDeadLetter());
                TopicReader routed = new TopicReader(bootstrapServers, TOPICS.forType(EventType.SPOT_RECREATED))) {
            ConsumerRecord<String, byte[]> dead = deadLetters.awaitRecord(
                    r -> "big-1".equals(TopicReader.header(r, EventHeaders.CE_ID)), Duration.ofSeconds(60));
            assertThat(dead.value()).isEmpty();
            assertThat(TopicReader.header(dead, RawWebhookRouter.ERROR)).isEqualTo("too-large");
            assertThat(TopicReader.header(dead, RawWebhookRouter.SOURCE_TOPIC)).isEqualTo(TOPICS.raw());
            assertThat(deadLetters.readToEnd(Duration.ofSeconds(30)))
                    .filteredOn(r -> "big-1".equals(TopicReader.header(r, EventHeaders.CE_ID))).hasSize(1);
            // The router did not stop on it: the next record is routed.
            routed.awaitRecord(r -> "after-big-1".equals(TopicReader.header(r, EventHeaders.CE_ID)), Duration.ofSeconds(60));
        }
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void readyOnceStreamsRuns() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                // Quarkus's own readiness asks only whether the topics exist: this one asks whether Streams runs.
                .body("checks.find { it.name == 'kafka-streams-running' }.status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
