package dev.herald.ingest.publish;

import dev.herald.events.EventHeaders;
import dev.herald.events.RecordSizeLimits;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>What a 503 means: a publish fails at once when the queue in front of that thread is full
 * ({@link PublishQueueFull}), and after the publish timeout otherwise. A send whose publish has already failed or
 * been cancelled (its request answered, or its client gone) is skipped. But a record handed to the producer before
 * the timeout may still land afterwards: the producer retries for {@code delivery.timeout.ms}, and an
 * acknowledgement can be lost after the broker wrote the record. So a 503 means "retry", not "not stored"; the retry
 * is what the router deduplicates: same sender id, or without one the same body, hence the same key and partition.
 */
@ApplicationScoped
public class RawWebhookPublisher {

    /**
     * Bytes of bodies waiting for the send thread. The queue's count alone would let 1,024 bodies of 1 MiB fill a
     * heap of a few hundred MiB while the broker is away; past this budget a request gets its 503 at once.
     */
    static final int QUEUED_BYTES = 64 * 1024 * 1024;

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics producerMetrics;
    private final ExecutorService sendThread;
    private final String topic;
    private final Duration publishTimeout;
    private final Semaphore queuedBytes = new Semaphore(QUEUED_BYTES);

    RawWebhookPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, IngestConfig config,
            MeterRegistry registry) {
        this.topic = new Topics(config.topicPrefix()).raw();
        this.publishTimeout = config.ingest().publishTimeout();
        this.producer = new KafkaProducer<>(
                producerConfig(new KafkaClientSettings(kafkaConfig), config.ingest().publishTimeout()),
                new StringSerializer(), new ByteArraySerializer());
        this.producerMetrics = new KafkaClientMetrics(producer);
        this.producerMetrics.bindTo(registry);
        // Bounded: while sends block (the broker away), requests beyond the queue get their 503 at once instead of
        // waiting out the timeout behind it, and memory holds no more than the queue's bodies.
        this.sendThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.ingest().publishQueueSize()), runnable -> {
                    Thread thread = new Thread(runnable, "herald-raw-publisher");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Settings that make "202 only after Kafka has the record" true (acks, idempotence) and the ones tuned for a
     * webhook receiver: {@code linger.ms=0} sends a lone webhook at once, while under a burst records still batch
     * up behind the requests in flight. No compression by default: lz4 allocated two 64 KiB buffers per batch, a
     * batch of a few small records here, and that was 42 % of the ingest's allocation under load. A send that
     * cannot even be queued within the publish timeout fails instead of blocking. A body at the limit, with its
     * key and headers, is larger than Kafka's default request size: the raw topic takes
     * {@link RecordSizeLimits#EVENT_RECORD_BYTES}, and so does this producer.
     */
    static Map<String, Object> producerConfig(KafkaClientSettings kafka, Duration publishTimeout) {
        Map<String, Object> producerConfig = kafka.all();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        producerConfig.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, publishTimeout.toMillis());
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordSizeLimits.EVENT_RECORD_BYTES);
        producerConfig.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        producerConfig.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        producerConfig.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "herald-ingest");
        return producerConfig;
    }

    public String topic() {
        return topic;
    }

    /**
     * Hands the webhook to the producer. The future completes with the broker's acknowledgement, or fails with
     * {@link PublishQueueFull} at once, with a {@link java.util.concurrent.TimeoutException} after the publish
     * timeout, or with the producer's error. Cancelling it (the client went away) skips the send if it has not
     * happened yet.
     */
    public CompletableFuture<RecordMetadata> publish(ReceivedWebhook webhook) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, webhook.key(), webhook.body(),
                headers(webhook));
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<RecordMetadata>()
                .orTimeout(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
        int bytes = Math.min(webhook.body().length, QUEUED_BYTES);
        if (!queuedBytes.tryAcquire(bytes)) {
            acknowledged.completeExceptionally(new PublishQueueFull());
            return acknowledged;
        }
        try {
            sendThread.execute(() -> {
                queuedBytes.release(bytes);
                send(record, acknowledged);
            });
        } catch (RejectedExecutionException e) {
            queuedBytes.release(bytes);
            acknowledged.completeExceptionally(new PublishQueueFull());
        }
        return acknowledged;
    }

    private void send(ProducerRecord<String, byte[]> record, CompletableFuture<RecordMetadata> acknowledged) {
        if (acknowledged.isDone()) {
            // Already answered (503 after the timeout) or abandoned: sending now would store an event its sender
            // was told to send again.
            return;
        }
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
