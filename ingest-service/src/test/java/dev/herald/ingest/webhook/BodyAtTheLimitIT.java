package dev.herald.ingest.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.RecordSizeLimits;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Every body up to the documented limit is stored; one byte more is refused. Never a 503 for the size alone. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class BodyAtTheLimitIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aValidBodyOfExactlyTheLimitIsAcceptedAndStoredByteForByte() {
        byte[] body = spotRollbackOf(RecordSizeLimits.MAX_BODY_BYTES);

        String id = given().header("Authorization", "Bearer test-token").contentType("application/json").body(body)
                .when().post("/webhooks/uniskai")
                .then().statusCode(202).extract().path("id");

        try (TopicReader raw = new TopicReader(bootstrapServers, "uniskai.webhooks.raw")) {
            ConsumerRecord<String, byte[]> record = raw.awaitRecord(
                    r -> id.equals(TopicReader.header(r, "ce_id")), Duration.ofSeconds(30));
            assertThat(record.value()).isEqualTo(body);
        }
    }

    @Test
    void oneByteOverTheLimitIs413() {
        given().header("Authorization", "Bearer test-token").contentType("application/json")
                .body(spotRollbackOf(RecordSizeLimits.MAX_BODY_BYTES + 1))
                .when().post("/webhooks/uniskai")
                .then().statusCode(413).contentType("application/problem+json");
    }

    /** A documented {@code spot-rollback}, padded with an unknown field to exactly {@code size} bytes. */
    private static byte[] spotRollbackOf(int size) {
        String head = "{\"type\":\"spot-rollback\",\"resources\":[{\"name\":\"i-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"type\":\"ec2-spot-instance\",\"region\":\"eu-central-1\",\"vpc\":\"default\"}],\"padding\":\"";
        String tail = "\"}";
        char[] padding = new char[size - head.length() - tail.length()];
        Arrays.fill(padding, 'x');
        byte[] body = (head + new String(padding) + tail).getBytes(StandardCharsets.UTF_8);
        assertThat(body).hasSize(size);
        return body;
    }
}
