package dev.herald.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.ingest.config.IngestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** The queue in front of the producer is bounded, and a request already answered is never sent afterwards. */
class RawWebhookPublisherTest {

    @Test
    void aFullQueueIsRefusedAtOnceAndASendWhoseRequestWasAnsweredIsSkipped() {
        HandedToProducer.count.set(0);
        HandedToProducer.sent.clear();
        // Nothing listens on port 1: every send blocks for the publish timeout, waiting for metadata.
        RawWebhookPublisher publisher = new RawWebhookPublisher(Map.of("bootstrap.servers", "127.0.0.1:1",
                "interceptor.classes", HandedToProducer.class.getName()), config(Duration.ofSeconds(2), 1),
                new SimpleMeterRegistry());
        try {
            CompletableFuture<RecordMetadata> blocking = publisher.publish(webhook("a"));
            await().atMost(Duration.ofSeconds(10)).until(() -> HandedToProducer.count.get() == 1);
            CompletableFuture<RecordMetadata> queued = publisher.publish(webhook("b"));
            CompletableFuture<RecordMetadata> refused = publisher.publish(webhook("c"));

            assertThat(refused).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(PublishQueueFull.class);

            queued.cancel(false); // its request was answered: the client went away, or it timed out
            await().atMost(Duration.ofSeconds(10)).until(blocking::isDone);
            CompletableFuture<RecordMetadata> next = publisher.publish(webhook("d"));
            await().atMost(Duration.ofSeconds(10)).until(() -> HandedToProducer.count.get() == 2);

            assertThat(HandedToProducer.sent).containsExactly("a", "d");
            next.cancel(false);
        } finally {
            publisher.close();
        }
    }

    @Test
    void queuedBodiesAreBoundedInBytesNotOnlyInCount() {
        HandedToProducer.count.set(0);
        HandedToProducer.sent.clear();
        RawWebhookPublisher publisher = new RawWebhookPublisher(Map.of("bootstrap.servers", "127.0.0.1:1",
                "interceptor.classes", HandedToProducer.class.getName()), config(Duration.ofSeconds(2), 1000),
                new SimpleMeterRegistry());
        try {
            CompletableFuture<RecordMetadata> blocking = publisher.publish(webhook("a"));
            await().atMost(Duration.ofSeconds(10)).until(() -> HandedToProducer.count.get() == 1);
            int quarter = RawWebhookPublisher.QUEUED_BYTES / 4;
            List<CompletableFuture<RecordMetadata>> queued = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                queued.add(publisher.publish(large("q" + i, quarter)));
            }
            CompletableFuture<RecordMetadata> refused = publisher.publish(large("over", 1));

            assertThat(queued).noneMatch(CompletableFuture::isDone);
            assertThat(refused).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(PublishQueueFull.class);
            queued.forEach(future -> future.cancel(false));
            blocking.cancel(false);
        } finally {
            publisher.close();
        }
    }

    private static ReceivedWebhook large(String id, int bytes) {
        return new ReceivedWebhook(id, "generated", "spot-recreated", id, Instant.now(),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", id, new byte[bytes]);
    }

    private static ReceivedWebhook webhook(String body) {
        return new ReceivedWebhook(body, "generated", "spot-recreated", body, Instant.now(),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", body, body.getBytes());
    }

    /** Counts the records the publisher hands to the producer, in order (the producer calls it inside send). */
    public static final class HandedToProducer implements ProducerInterceptor<String, byte[]> {

        static final AtomicInteger count = new AtomicInteger();
        static final List<String> sent = new CopyOnWriteArrayList<>();

        @Override
        public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
            sent.add(record.key());
            count.incrementAndGet();
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(Map<String, ?> configs) {
        }
    }

    private static IngestConfig config(Duration publishTimeout, int queueSize) {
        IngestConfig.Ingest ingest = new IngestConfig.Ingest() {
            public Optional<List<String>> tokens() {
                return Optional.of(List.of("t"));
            }

            public Optional<String> signingSecret() {
                return Optional.empty();
            }

            public Duration signatureTolerance() {
                return Duration.ofMinutes(5);
            }

            public MemorySize maxBodySize() {
                return new MemorySize(BigInteger.valueOf(1024 * 1024));
            }

            public Duration publishTimeout() {
                return publishTimeout;
            }

            public int publishQueueSize() {
                return queueSize;
            }

            public int retryAfterSeconds() {
                return 5;
            }
        };
        return new IngestConfig() {
            public String topicPrefix() {
                return "uniskai";
            }

            public Ingest ingest() {
                return ingest;
            }
        };
    }
}
