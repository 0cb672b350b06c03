package dev.herald.deploy;

import dev.herald.kafka.embedded.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

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

    /**
     * The committed records of {@code topic}, from its beginning to its end as of now, read without a consumer group:
     * the test commits nothing, so it adds no group to those the rehearsal checks.
     */
    List<ConsumerRecord<String, byte[]>> read(String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end in 30 s");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
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
