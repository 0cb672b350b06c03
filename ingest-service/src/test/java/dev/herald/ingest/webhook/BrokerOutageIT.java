package dev.herald.ingest.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The broker goes away and comes back on the same port, with the same data, while the ingest keeps running. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class BrokerOutageIT {

    KafkaBroker broker;

    @AfterEach
    void brokerIsBackForTheNextTest() {
        broker.start();
    }

    @Test
    void brokerGoneIs503WithRetryAfterAndBrokerBackIs202Again() {
        post().then().statusCode(202);

        broker.stop();

        Response refused = post();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(refused.contentType()).startsWith("application/problem+json");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().when().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN")));

        broker.start();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> post().then().statusCode(202));
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    private static Response post() {
        return given().header("Authorization", "Bearer test-token").contentType("application/json")
                .body(DocumentedExamples.of(EventType.SPOT_RECREATED))
                .when().post("/webhooks/uniskai");
    }
}
