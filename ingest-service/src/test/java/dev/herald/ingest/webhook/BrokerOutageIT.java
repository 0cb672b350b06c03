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
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Test
    void aClientGoneWhileKafkaIsAwayIsCountedAbandonedOnlyNotUnavailable() throws IOException {
        double abandoned = received("abandoned");
        double unavailable = received("unavailable");
        broker.stop();

        byte[] body = DocumentedExamples.of(EventType.SPOT_RECREATED);
        try (Socket client = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            OutputStream out = client.getOutputStream();
            out.write(("POST /webhooks/uniskai HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer test-token\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // The answer waits for Kafka (up to the 3-s publish timeout): the client gives up after half a second.
            client.setSoTimeout(500);
            assertThat(client.getInputStream().read()).as("no answer while Kafka is away").isEqualTo(-2);
        } catch (SocketTimeoutException expected) {
            // closed by the try-with-resources: the client is gone
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> received("abandoned") == abandoned + 1);
        // Past the publish timeout: the cancelled publish is not also counted as Kafka's failure (a 503 nobody got).
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
                .until(() -> received("unavailable") == unavailable);
    }

    /**
     * herald_webhooks_received_total for spot-recreated with that outcome, from the Prometheus scrape (the value is
     * the first field after the labels: an exemplar may follow it).
     */
    private static double received(String outcome) {
        Pattern line = Pattern.compile("^herald_webhooks_received_total\\{(?=[^}]*outcome=\"" + outcome
                + "\")(?=[^}]*type=\"spot-recreated\")[^}]*} (\\S+)", Pattern.MULTILINE);
        Matcher matcher = line.matcher(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
        assertThat(matcher.find()).as("herald_webhooks_received_total{outcome=%s,type=spot-recreated}", outcome).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static Response post() {
        return given().header("Authorization", "Bearer test-token").contentType("application/json")
                .body(DocumentedExamples.of(EventType.SPOT_RECREATED))
                .when().post("/webhooks/uniskai");
    }
}
