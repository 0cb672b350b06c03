package dev.herald.notifier.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.notifier.consume.NotifierRuntime;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Lag is how this pipeline is watched: in records and in seconds, per consumer group and topic. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = NotifierTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsumerLagIT {

    private static final Pattern LAG_SECONDS = Pattern.compile(
            "herald_consumer_lag_seconds\\{group=\"herald-notifier-spot-recreated\",topic=\"uniskai.events.spot-recreated\"} ([0-9.E-]+)");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    NotifierRuntime runtime;

    TestSinks sinks;

    @Test
    void lagInSecondsRisesWhileTheConsumerIsPausedAndReturnsToZeroAfterItResumes() {
        await().atMost(Duration.ofSeconds(30)).until(() -> lagSeconds() == 0.0);
        runtime.pause("spot-recreated");
        try {
            try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
                publisher.publish("spot-recreated", "lag-1", DocumentedExamples.of(EventType.SPOT_RECREATED));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> lagSeconds() >= 1.0);
            double first = lagSeconds();
            await().atMost(Duration.ofSeconds(30)).until(() -> lagSeconds() >= first + 1.0);
            assertThat(metrics()).contains("herald_consumer_lag_records{group=\"herald-notifier-spot-recreated\","
                    + "topic=\"uniskai.events.spot-recreated\"} 1.0");
            assertThat(sinks.mailsOf("lag-1")).isEmpty();
        } finally {
            runtime.resume("spot-recreated");
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> sinks.mailsOf("lag-1").size() == 1 && lagSeconds() == 0.0);
    }

    @Test
    void kafkaClientMetricsArePublishedPerTopicAndClient() {
        assertThat(metrics())
                .contains("kafka_consumer_fetch_manager_records_lag_max{client_id=\"herald-notifier-spot-recreated\"")
                .containsPattern("herald_consumer_lag_records\\{group=\"herald-notifier-deliveries\",topic=\"uniskai.notifier.deliveries\"}");
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double lagSeconds() {
        Matcher matcher = LAG_SECONDS.matcher(metrics());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : -1;
    }
}
