package dev.herald.kafka.client;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * How a service's Kafka clients reach the cluster, taken from the service's {@code kafka.*} configuration: Quarkus'
 * {@code @Identifier("default-kafka-broker")} map, where {@code kafka.security.protocol} or the environment variable
 * {@code KAFKA_SECURITY_PROTOCOL} arrives as {@code security.protocol}. Every producer, consumer and Admin client of a
 * Herald service is built from it, so the bootstrap servers, TLS and SASL are configured once for all of them.
 */
public record KafkaClientSettings(Map<String, Object> kafkaConfig) {

    /** Settings that decide how any client connects and authenticates. */
    private static final List<String> SECURITY_PREFIXES = List.of("security.", "ssl.", "sasl.");
    /** Quarkus' TLS registry: its configuration name travels beside {@code ssl.engine.factory.class}. */
    private static final String TLS_CONFIGURATION_NAME = "tls-configuration-name";

    public KafkaClientSettings {
        kafkaConfig = Map.copyOf(kafkaConfig);
    }

    /**
     * The bootstrap servers and the security settings, nothing else: what an Admin client needs, without the
     * consumer and producer settings it would only warn about. A new map the caller may add to.
     */
    public Map<String, Object> connection() {
        Map<String, Object> connection = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (isConnectionSetting(key)) {
                connection.put(key, value);
            }
        });
        return connection;
    }

    /**
     * Every {@code kafka.*} setting, the connection's included: what a producer or consumer starts from, so tuning
     * such as {@code kafka.session.timeout.ms} reaches it too. A new map the caller may add to.
     */
    public Map<String, Object> all() {
        return new HashMap<>(kafkaConfig);
    }

    static boolean isConnectionSetting(String key) {
        return key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) || key.equals(TLS_CONFIGURATION_NAME)
                || SECURITY_PREFIXES.stream().anyMatch(key::startsWith);
    }
}
