package dev.herald.notifier.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.notifier.config.NotifierConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the notifier's own records (retries, dead letters, outcomes, the sent ledger) and waits for Kafka's
 * acknowledgement of each, so an offset is committed only after what it led to is stored.
 */
@ApplicationScoped
public class DeliveryRecords {

    /** One attempt's result on the outcomes topic; the destination is redacted. */
    public record Outcome(String eventId, String deliveryId, String type, String channel, String destination,
            int attempt, String outcome, String error, Instant at) {
    }

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final ObjectMapper mapper;
    private final Topics topics;

    DeliveryRecords(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, NotifierConfig config,
            ObjectMapper mapper, MeterRegistry registry) {
        Map<String, Object> producerConfig = new KafkaClientSettings(kafkaConfig).all();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "herald-notifier");
        // A retry or dead letter carries the event's body escaped inside JSON: larger than Kafka's default 1 MiB.
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordSizeLimits.EVENT_RECORD_BYTES);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        this.producerMetrics = new KafkaClientMetrics(producer);
        this.producerMetrics.bindTo(registry);
        this.mapper = mapper;
        this.topics = new Topics(config.topicPrefix());
    }

    public void retry(Delivery delivery) {
        send(topics.deliveries(), delivery.id(), json(DeliveryRecord.of(delivery)));
    }

    /** A stored delivery that cannot be attempted any more (its destination left the routes file). */
    public void deadLetter(DeliveryRecord stored) {
        send(topics.notifierDeadLetter(), stored.id(), json(stored));
    }

    public void deadLetter(Delivery delivery) {
        send(topics.notifierDeadLetter(), delivery.id(), json(DeliveryRecord.of(delivery)));
    }

    public void outcome(Delivery delivery, String outcome, String error) {
        send(topics.outcomes(), delivery.eventId(), json(new Outcome(delivery.eventId(), delivery.id(), delivery.type(),
                delivery.destination().channel(), delivery.destination().redacted(), delivery.attempt(), outcome, error,
                Instant.now())));
    }

    void sent(String deliveryId, Instant at) {
        send(topics.deliveriesDone(), deliveryId, String.valueOf(at.toEpochMilli()).getBytes(StandardCharsets.UTF_8));
    }

    private void send(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not take a record for " + topic, e);
        }
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void close() {
        producerMetrics.close();
        producer.close(Duration.ofSeconds(10));
    }
}
