package dev.herald.router.lag;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the alerts need from a router that has routed nothing yet: every counter they read, and every notifier
 * group's members, which read 0 here since no notifier runs in this test.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class RouterMetricsAtStartIT {

    @Test
    void everyNotifierGroupWithoutAConsumerReadsZeroMembers() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = metrics();
            for (String group : NotifierGroupMembers.groups("herald-notifier")) {
                assertThat(metrics).contains("herald_consumer_group_members{group=\"" + group + "\"} 0.0");
            }
        });
        assertThat(NotifierGroupMembers.groups("herald-notifier"))
                .hasSize(Topics.withDefaultPrefix().eventTopics().size() + 1)
                .contains("herald-notifier-spot-recreated", "herald-notifier-unknown", "herald-notifier-deliveries");
    }

    @Test
    void everyCounterTheAlertsReadIsThereBeforeItsFirstIncrement() {
        assertThat(metrics())
                .contains("herald_router_records_dead_lettered_total{reason=\"malformed-body\"}")
                .contains("herald_router_records_dead_lettered_total{reason=\"missing-event-id\"}")
                .contains("herald_router_records_dead_lettered_total{reason=\"too-large\"}")
                .contains("herald_router_duplicates_dropped_total{matched_by=\"event_id\"}")
                .contains("herald_router_duplicates_dropped_total{matched_by=\"body\"}")
                .contains("herald_router_records_routed_total{topic=\"uniskai.events.trial-period-ended\"}");
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
