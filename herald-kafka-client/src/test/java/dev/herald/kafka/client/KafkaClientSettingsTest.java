package dev.herald.kafka.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {

    /** What Quarkus' default-kafka-broker map holds for a service on a TLS cluster with SASL. */
    private static final Map<String, Object> KAFKA_CONFIG = Map.of(
            "bootstrap.servers", "kafka:9093",
            "security.protocol", "SASL_SSL",
            "ssl.truststore.type", "PEM",
            "ssl.truststore.location", "/etc/herald/kafka-ca/ca.crt",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "group.id", "herald-notifier",
            "session.timeout.ms", "6000");

    @Test
    void connectionHoldsTheBootstrapServersAndEverySecuritySettingOnly() {
        assertThat(new KafkaClientSettings(KAFKA_CONFIG).connection()).containsOnlyKeys(
                "bootstrap.servers", "security.protocol", "ssl.truststore.type", "ssl.truststore.location",
                "sasl.mechanism", "sasl.jaas.config");
    }

    @Test
    void quarkusTlsRegistrySettingsAreConnectionSettings() {
        var settings = new KafkaClientSettings(Map.of("bootstrap.servers", "kafka:9093",
                "tls-configuration-name", "kafka", "ssl.engine.factory.class", "io.quarkus.kafka.client.tls.QuarkusKafkaSslEngineFactory"));

        assertThat(settings.connection()).containsOnlyKeys("bootstrap.servers", "tls-configuration-name",
                "ssl.engine.factory.class");
    }

    @Test
    void producersAndConsumersGetEverySettingIncludingTheirTuning() {
        assertThat(new KafkaClientSettings(KAFKA_CONFIG).all()).isEqualTo(KAFKA_CONFIG);
    }

    @Test
    void eachClientGetsItsOwnMapToAddTo() {
        var settings = new KafkaClientSettings(KAFKA_CONFIG);

        settings.connection().put("client.id", "one");
        settings.all().put("client.id", "two");

        assertThat(settings.connection()).doesNotContainKey("client.id");
        assertThat(settings.all()).doesNotContainKey("client.id");
    }

    @Test
    void plainTextClusterNeedsNothingButTheBootstrapServers() {
        assertThat(new KafkaClientSettings(Map.of("bootstrap.servers", "localhost:9092")).connection())
                .isEqualTo(Map.of("bootstrap.servers", "localhost:9092"));
    }
}
