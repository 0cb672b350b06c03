package dev.herald.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.events.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {

    @TempDir
    Path dataDir;

    @Test
    void restartedBrokerKeepsItsRecordsAndTopics() throws Exception {
        try (KafkaBroker broker = KafkaBroker.create(0, dataDir, Map.of())) {
            broker.start();
            broker.createTopics(Topics.withDefaultPrefix().all(), 3);
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("uniskai.webhooks.raw", "k", "survives a restart")).get();
            }

            broker.stop();
            broker.start();

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get()).containsAll(Topics.withDefaultPrefix().all());
            }
            assertThat(readAll(broker, "uniskai.webhooks.raw", 1)).containsExactly("survives a restart");
        }
    }

    @Test
    void creatingTopicsTwiceLeavesExistingOnesAlone() {
        try (KafkaBroker broker = KafkaBroker.create(0, dataDir, Map.of())) {
            broker.start();
            broker.createTopics(List.of("a.b"), 2);
            broker.createTopics(List.of("a.b", "a.c"), 5);

            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                var topics = admin.describeTopics(List.of("a.b", "a.c")).allTopicNames().get();
                assertThat(topics.get("a.b").partitions()).hasSize(2);
                assertThat(topics.get("a.c").partitions()).hasSize(5);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void clientsTrustingTheCaProduceAndConsumeOverTlsAndOthersAreRefused() throws Exception {
        try (KafkaBroker broker = KafkaBroker.createWithTls(0, dataDir, Map.of())) {
            broker.start();
            broker.createTopics(List.of("tls.records"), 1);
            Map<String, Object> producerConfig = new HashMap<>(broker.sslClientConfig());
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            try (var producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("tls.records", "k", "over TLS")).get(30, TimeUnit.SECONDS);
            }
            assertThat(readAll(broker.sslClientConfig(), "tls.records", 1)).containsExactly("over TLS");

            // Trusting only the JDK's default CAs: the broker's certificate is not accepted.
            Map<String, Object> withoutCa = new HashMap<>(broker.sslClientConfig());
            withoutCa.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
            withoutCa.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
            withoutCa.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            withoutCa.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
            try (Admin admin = Admin.create(withoutCa)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SslAuthenticationException.class);
            }
        }

        // Made again on the same directory, the broker keeps its authority: clients keep trusting it.
        String ca = Files.readString(dataDir.resolve("tls").resolve("ca.crt"));
        assertThat(Files.readString(KafkaBroker.createWithTls(0, dataDir, Map.of()).caCertificate())).isEqualTo(ca);
    }

    private static List<String> readAll(KafkaBroker broker, String topic, int expected) {
        return readAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), topic, expected);
    }

    private static List<String> readAll(Map<String, Object> clientConfig, String topic, int expected) {
        List<String> values = new ArrayList<>();
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "kafka-broker-it");
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}
