package dev.herald.ingest.publish;

import dev.herald.events.EventHeaders;
import dev.herald.events.Topics;
import dev.herald.ingest.config.IngestConfig;
import dev.herald.kafka.client.KafkaClientSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes accepted webhooks to the raw topic and completes only when the broker has acknowledged the record
 * with {@code acks=all}. The idempotent producer never writes a record twice on its own retries.
 *
 * <p>{@link KafkaProducer#send} can block (waiting for metadata while the broker is away, or for buffer space),
 * so it runs on one dedicated thread, never on the event loop. One thread also keeps records in arrival order,
 * so events with the same key reach Kafka in the order they were received.
 */
@ApplicationScoped
public class RawWebhookPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final ExecutorService sendThread;
    private final String topic;

    RawWebhookPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, IngestConfig config,
            MeterRegistry registry) {
        this.topic = new Topics(config.topicPrefix()).raw();
        this.producer = new KafkaProducer<>(
                producerConfig(new KafkaClientSettings(kafkaConfig), config.ingest().publishTimeout()),
                new StringSerializer(), new ByteArraySerializer());
        this.producerMetrics = new KafkaClientMetrics(producer);
        this.producerMetrics.bindTo(registry);
        this.sendThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "herald-raw-publisher");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Settings that make "202 only after Kafka has the record" true (acks, idempotence) and the ones tuned for a
     * webhook receiver: {@code linger.ms=0} sends a lone webhook at once, while under a burst records still batch
     * up behind the requests in flight; lz4 keeps those batches of JSON small at little CPU cost. A send that
     * cannot even be queued within the publish timeout fails instead of blocking.
     */
    static Map<String, Object> producerConfig(KafkaClientSettings kafka, Duration publishTimeout) {
        Map<String, Object> producerConfig = kafka.all();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        producerConfig.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, publishTimeout.toMillis());
        producerConfig.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        producerConfig.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "herald-ingest");
        return producerConfig;
    }

    public String topic() {
        return topic;
    }

    public CompletionStage<RecordMetadata> publish(ReceivedWebhook webhook) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, webhook.key(), webhook.body(),
                headers(webhook));
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            sendThread.execute(() -> {
                try {
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            acknowledged.completeExceptionally(error);
                        } else {
                            acknowledged.complete(metadata);
                        }
                    });
                } catch (RuntimeException e) {
                    acknowledged.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    private static RecordHeaders headers(ReceivedWebhook webhook) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.CE_SPECVERSION, utf8(EventHeaders.SPEC_VERSION));
        headers.add(EventHeaders.CE_ID, utf8(webhook.id()));
        headers.add(EventHeaders.CE_SOURCE, utf8(EventHeaders.SOURCE));
        headers.add(EventHeaders.CE_TYPE, utf8(webhook.type()));
        headers.add(EventHeaders.CE_TIME, utf8(DateTimeFormatter.ISO_INSTANT.format(webhook.receivedAt())));
        headers.add(EventHeaders.CONTENT_TYPE, utf8(EventHeaders.JSON));
        headers.add(EventHeaders.TRACEPARENT, utf8(webhook.traceparent()));
        headers.add(EventHeaders.BODY_SHA256, utf8(webhook.bodySha256()));
        headers.add(EventHeaders.ID_SOURCE, utf8(webhook.idSource()));
        return headers;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        sendThread.shutdown();
        producer.close(Duration.ofSeconds(10));
        producerMetrics.close();
    }
}
