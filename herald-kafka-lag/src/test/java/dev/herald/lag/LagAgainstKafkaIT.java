package dev.herald.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.lag.ConsumerLagGauges.GroupTopic;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lag and group members against a real broker: measured while it runs, NaN while it is away, measured again after. */
class LagAgainstKafkaIT {

    private static final String TOPIC = "uniskai.events.spot-recreated";
    private static final String GROUP = "herald-notifier-spot-recreated";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void measuredWhileKafkaAnswersAndNaNWhileItDoesNot() throws Exception {
        try (KafkaBroker broker = KafkaBroker.create(0, dataDir, Map.of())) {
            broker.start();
            broker.createTopics(List.of(TOPIC), 2);
            produce(broker, "first", "second");
            // The service's whole client config, as Quarkus gives it: its group.id must not make the lag reader
            // join (and so change) the group it measures.
            Map<String, Object> kafkaConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, GROUP);
            Duration interval = Duration.ofMillis(200);
            try (var lag = new ConsumerLagGauges(kafkaConfig, List.of(new GroupTopic(GROUP, TOPIC)), registry, interval);
                    var members = new ConsumerGroupMembers(kafkaConfig, List.of(GROUP), registry, interval)) {
                await().atMost(WAIT).until(() -> records() == 2.0 && members() == 0.0);
                assertThat(seconds()).isGreaterThanOrEqualTo(0.0);

                try (var consumer = consumer(broker)) {
                    consumer.subscribe(List.of(TOPIC));
                    await().atMost(WAIT).until(() -> {
                        consumer.poll(Duration.ofMillis(100));
                        consumer.commitSync();
                        return records() == 0.0 && seconds() == 0.0 && members() == 1.0;
                    });
                }
                await().atMost(WAIT).until(() -> members() == 0.0);

                broker.stop();
                await().atMost(WAIT).until(() -> Double.isNaN(records()) && Double.isNaN(seconds()) && Double.isNaN(members()));

                broker.start();
                await().atMost(WAIT).until(() -> records() == 0.0 && seconds() == 0.0 && members() == 0.0);
            }
        }
    }

    private static void produce(KafkaBroker broker, String... values) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(TOPIC, value, value)).get();
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(KafkaBroker broker) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
    }

    private double records() {
        return registry.get("herald.consumer.lag.records").tag("group", GROUP).gauge().value();
    }

    private double seconds() {
        return registry.get("herald.consumer.lag.seconds").tag("group", GROUP).gauge().value();
    }

    private double members() {
        return registry.get("herald.consumer.group.members").tag("group", GROUP).gauge().value();
    }
}
