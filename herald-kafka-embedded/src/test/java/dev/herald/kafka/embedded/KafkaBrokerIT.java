package dev.herald.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    private static List<String> readAll(KafkaBroker broker, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "kafka-broker-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
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
