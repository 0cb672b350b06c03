package dev.herald.notifier.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The notifier reports how many consumers the router's group has, so a router that stopped consuming shows even
 * where the router reports nothing; and every delivery counter is there before the first delivery.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = NotifierTestResource.class, scope = TestResourceScope.GLOBAL)
class RouterGroupMembersIT {

    private static final String ROUTER_MEMBERS = "herald_consumer_group_members{group=\"herald-router\"} ";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void routerGroupMembersFollowTheConsumersInIt() {
        await().atMost(WAIT).until(() -> metrics().contains(ROUTER_MEMBERS + "0.0"));

        try (var router = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "herald-router"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            router.subscribe(List.of("uniskai.webhooks.raw"));
            await().atMost(WAIT).until(() -> {
                router.poll(Duration.ofMillis(100));
                return metrics().contains(ROUTER_MEMBERS + "1.0");
            });
        }

        await().atMost(WAIT).until(() -> metrics().contains(ROUTER_MEMBERS + "0.0"));
    }

    @Test
    void deliveryCountersTheAlertsReadAreThereBeforeTheirFirstIncrement() {
        assertThat(metrics())
                .contains("herald_notifier_deliveries_total{channel=\"email\",outcome=\"dead\",type=\"trial-period-ended\"}")
                .contains("herald_notifier_folds_total{channel=\"slack\",type=\"unknown\"}");
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
