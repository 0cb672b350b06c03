package dev.herald.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.PackagedService;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * The packaged router on a Kafka cluster reached over TLS, configured as a pod is: {@code KAFKA_SECURITY_PROTOCOL=SSL}
 * and a PEM truststore holding the cluster's CA, from environment variables. Its only Kafka address is the broker's
 * TLS listener, so a client that missed the settings could not connect: the topic initializer (an Admin client) must
 * create the topics of a new prefix, and Kafka Streams (its consumer, transactional producer and Admin) must route
 * mixed events exactly once. It runs beside the router Quarkus starts for the other tests, under its own prefix and
 * application id.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class KafkaOverTlsIT {

    private static final String PREFIX = "tls";
    private static final Topics TOPICS = new Topics(PREFIX);

    KafkaBroker broker;

    @Inject
    StreamsConfig streamsConfig;

    @Test
    void everyKafkaClientConnectsOverTlsWithTheSettingsOfTheEnvironment() throws Exception {
        MixedRawEvents events = new MixedRawEvents(TOPICS, PREFIX, 100, 5);
        try (PackagedService router = PackagedService.start(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.sslBootstrapServers(),
                "KAFKA_SECURITY_PROTOCOL", "SSL",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", broker.caCertificate().toString(),
                "HERALD_TOPIC_PREFIX", PREFIX,
                "QUARKUS_KAFKA_STREAMS_APPLICATION_ID", "herald-router-tls",
                "KAFKA_STREAMS_STATE_DIR", Files.createTempDirectory("router-tls-state").toString()))) {
            // Ready: the topics of the new prefix exist (created over TLS) and Streams runs.
            router.awaitReady(Duration.ofSeconds(120));

            events.produceAll(broker.bootstrapServers(), TOPICS.raw());

            RoutedTopics.assertExactlyOnce(broker.bootstrapServers(), PREFIX, events, TOPICS.routerDeadLetter(),
                    Duration.ofSeconds(90));
        }
    }

    /**
     * Quarkus starts Kafka Streams' properties from the same kafka.* settings as every other client, but turns
     * hostname verification off unless told otherwise: the router keeps it on, like its other clients.
     */
    @Test
    void kafkaStreamsVerifiesTheBrokersHostname() {
        assertThat(streamsConfig.originals()).containsEntry(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "https");
    }
}
