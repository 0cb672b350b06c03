package dev.herald.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.PackagedService;
import dev.herald.kafka.embedded.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged ingest on a Kafka cluster reached over TLS, configured as a pod is: {@code KAFKA_SECURITY_PROTOCOL=SSL}
 * and a PEM truststore holding the cluster's CA, from environment variables. Its only Kafka address is the broker's
 * TLS listener, so a client that missed the settings could not connect: the readiness check (an Admin client) must
 * see the broker, and a webhook must be acknowledged (the producer) and land in the raw topic.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class KafkaOverTlsIT {

    KafkaBroker broker;

    @Test
    void everyKafkaClientConnectsOverTlsWithTheSettingsOfTheEnvironment() throws Exception {
        try (PackagedService ingest = PackagedService.start(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.sslBootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", broker.caCertificate().toString(),
                "HERALD_INGEST_TOKENS", "tls-token"));
                TopicReader raw = new TopicReader(broker.bootstrapServers(), "uniskai.webhooks.raw")) {
            ingest.awaitReady(Duration.ofSeconds(90));

            String webhookId = "msg_tls_" + UUID.randomUUID();
            HttpRequest post = HttpRequest.newBuilder(ingest.uri("/webhooks/uniskai"))
                    .header("Authorization", "Bearer tls-token").header("webhook-id", webhookId)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(DocumentedExamples.of(EventType.SPOT_RECREATED)))
                    .build();
            HttpResponse<String> response = HttpClient.newHttpClient().send(post, HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(raw.awaitRecord(r -> webhookId.equals(TopicReader.header(r, "ce_id")), Duration.ofSeconds(30))
                    .value()).isEqualTo(DocumentedExamples.of(EventType.SPOT_RECREATED));
        }
    }
}
