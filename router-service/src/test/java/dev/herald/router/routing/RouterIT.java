package dev.herald.router.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.herald.events.Topics;
import dev.herald.kafka.embedded.DocumentedMetrics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
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
    void readyOnceStreamsRuns() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                // Quarkus's own readiness asks only whether the topics exist: this one asks whether Streams runs.
                .body("checks.find { it.name == 'kafka-streams-running' }.status", equalTo("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
