package dev.herald.deploy;

import dev.herald.kafka.embedded.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The rehearsal's Kafka cluster: a real broker that creates no topic by itself ({@code auto.create.topics.enable=false}),
 * so only the rendered KafkaTopics exist. With TLS, Herald's pods get its SSL listener and a CA certificate made for
 * this run (standing in for Strimzi's cluster CA); the test itself administers it over the plain listener.
 */
final class RehearsalKafka implements AutoCloseable {

    private final KafkaBroker broker;
    private final boolean tls;

    private RehearsalKafka(KafkaBroker broker, boolean tls) {
        this.broker = broker;
        this.tls = tls;
    }

    static RehearsalKafka start(Path dataDir, boolean tls) {
        Map<String, String> overrides = Map.of("auto.create.topics.enable", "false");
        KafkaBroker broker = tls ? KafkaBroker.createWithTls(0, dataDir, overrides) : KafkaBroker.create(0, dataDir, overrides);
        broker.start();
        return new RehearsalKafka(broker, tls);
    }

    /** The address Herald's pods are given: the TLS listener when the overlay speaks TLS. */
    String bootstrapServersForHerald() {
        return tls ? broker.sslBootstrapServers() : broker.bootstrapServers();
    }

    /** The CA certificate (PEM) that the cluster CA Secret holds, when the broker speaks TLS. */
    Optional<String> caCertificatePem() {
        if (!tls) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(broker.caCertificate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    Set<String> topicNames() throws Exception {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        broker.close();
    }
}
