package dev.herald.console.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.console.config.ConsoleConfig;
import dev.herald.console.journey.DeliveryJourney;
import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Sends a dead-lettered delivery back to the notifier's retry topic, due now and with a fresh set of attempts, and
 * records the replay on the outcomes topic, where the event's page shows it. The notifier looks the delivery up in
 * its sent ledger before sending, as for every retry: a replay never sends what was sent.
 */
@Singleton
public class Replayer {

    private static final Logger LOG = Logger.getLogger(Replayer.class);

    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper mapper;
    private final Topics topics;

    Replayer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ConsoleConfig config, ObjectMapper mapper) {
        Map<String, Object> producerConfig = new KafkaClientSettings(kafkaConfig).all();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-console-replay");
        // A delivery carries its event's body escaped inside JSON: its topics take records of up to 8 MiB, so must this.
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordSizeLimits.DELIVERY_RECORD_BYTES);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.mapper = mapper;
        this.topics = new Topics(config.topicPrefix());
    }

    /** Replays one dead delivery; returns once Kafka has both records. */
    public void replay(String eventId, DeliveryJourney delivery) {
        String stored = delivery.deadLetterRecord();
        if (stored == null) {
            throw new IllegalArgumentException("delivery " + delivery.deliveryId() + " has no dead letter to replay");
        }
        Instant now = Instant.now();
        ObjectNode record;
        try {
            record = (ObjectNode) mapper.readTree(stored);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("the dead letter of " + delivery.deliveryId() + " is not a delivery record", e);
        }
        // Everything else as the notifier stored it (the destination by key: the notifier resolves the address again).
        record.put("attempt", 1);
        record.put("notBefore", now.toString());
        record.put("lastError", "replayed from the dead-letter topic");
        send(topics.deliveryRetries(), delivery.deliveryId(), json(record));

        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("eventId", eventId);
        outcome.put("deliveryId", delivery.deliveryId());
        outcome.put("type", record.path("type").asText(null));
        outcome.put("channel", delivery.channel());
        outcome.put("destination", delivery.destination());
        outcome.put("attempt", 0);
        outcome.put("outcome", DeliveryJourney.REPLAYED);
        outcome.put("error", null);
        outcome.put("at", now.toString());
        send(topics.outcomes(), eventId, json(outcome));
        LOG.infof("Replayed delivery %s of event %s to %s", delivery.deliveryId(), eventId, delivery.destination());
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the replay for " + topic, e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
