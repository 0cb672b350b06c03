package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.PackagedService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a 503 from the ingest means, end to end on the packaged ingest and router: the broker stops while webhooks
 * flow (senders without ids, as Uniskai sends them), every request answered 503 is sent once more with the same body
 * after the broker is back, and every event is routed exactly once. Some 503'd records are stored after all (the
 * producer keeps retrying them): the test checks that it saw such a pair on the raw topic, whose second copy carries
 * the same body, so the same key, and the router drops it.
 */
class RetryAfterOutageIT {

    private static final String TOKEN = "outage-token";
    private static final Pattern SEQUENCE = Pattern.compile("\"herald_it_sequence\":\"([^\"]+)\"");
    private static final Duration STARTUP = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void everyEventWhoseRequestGot503AndWasRetriedOnceWithTheSameBodyIsRoutedExactlyOnce() throws Exception {
        Topics topics = Topics.withDefaultPrefix();
        try (KafkaBroker broker = KafkaBroker.create(0, dir.resolve("kafka"), Map.of())) {
            broker.start();
            broker.createTopics(topics.all(), 3);
            Map<String, byte[]> bodies;
            Map<String, Integer> firstAnswers;
            try (PackagedService router = PackagedService.start(jar("router-service"), Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "KAFKA_STREAMS_STATE_DIR", dir.resolve("router-state").toString()))) {
                router.awaitReady(STARTUP);
                try (PackagedService ingest = PackagedService.start(jar("ingest-service"), Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                        "HERALD_INGEST_TOKENS", TOKEN,
                        "HERALD_INGEST_PUBLISH_TIMEOUT", "1s",
                        "HERALD_INGEST_RETRY_AFTER_SECONDS", "1"))) {
                    ingest.awaitReady(STARTUP);
                    URI webhooks = ingest.uri("/webhooks/uniskai");
                    try (Senders senders = new Senders(webhooks, 4)) {
                        await().atMost(Duration.ofSeconds(60)).until(() -> senders.count(202) >= 20);
                        broker.stop();
                        // Short enough that the producer still holds the 503'd records when the broker is back.
                        await().atMost(Duration.ofSeconds(60)).until(() -> senders.count(503) >= 10);
                        broker.start();
                        long acceptedBeforeRecovery = senders.count(202);
                        await().atMost(Duration.ofSeconds(90))
                                .until(() -> senders.count(202) >= acceptedBeforeRecovery + 20);
                    }
                    bodies = Senders.bodies;
                    firstAnswers = new HashMap<>(Senders.answers);
                    assertThat(firstAnswers.values()).as("every request answered 202 or 503").containsOnly(202, 503);

                    HttpClient http = HttpClient.newHttpClient();
                    for (Map.Entry<String, Integer> answer : firstAnswers.entrySet()) {
                        if (answer.getValue() == 503) {
                            assertThat(post(http, webhooks, bodies.get(answer.getKey())))
                                    .as("the retry of %s", answer.getKey()).isEqualTo(202);
                        }
                    }
                    // Stopping the ingest flushes its producer: nothing it was given can land on the raw topic later.
                }
                assertThat(firstAnswers.values()).contains(503);
                awaitRouterCaughtUpWithRaw(broker.bootstrapServers(), topics.raw());
                Map<String, Integer> stored = new ConcurrentHashMap<>();
                try (KafkaConsumer<String, byte[]> consumer = reader(broker.bootstrapServers(), List.of(topics.raw()))) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        readInto(consumer, stored);
                        assertThat(stored.keySet()).containsAll(bodies.keySet());
                    });
                }
                assertThat(firstAnswers).as("some requests answered 503 were stored anyway, so their retries were "
                                + "copies to drop (else this run did not test the deduplication)")
                        .anySatisfy((sequence, status) -> {
                            assertThat(status).isEqualTo(503);
                            assertThat(stored.get(sequence)).isEqualTo(2);
                        });

                Map<String, Integer> routed = new ConcurrentHashMap<>();
                try (KafkaConsumer<String, byte[]> consumer = reader(broker.bootstrapServers(), topics.eventTopics())) {
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                        readInto(consumer, routed);
                        assertThat(routed.keySet()).containsExactlyInAnyOrderElementsOf(bodies.keySet());
                    });
                    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                        readInto(consumer, routed);
                        assertThat(routed).allSatisfy((sequence, copies) ->
                                assertThat(copies).as("copies of %s routed", sequence).isEqualTo(1));
                    });
                }
            }
        }
    }

    private static Path jar(String module) {
        return Manifests.ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static int post(HttpClient http, URI uri, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A documented example made unique by an unknown field, as a new event of that type would be. */
    private static byte[] uniqueBody(EventType type, String sequence) {
        String example = new String(DocumentedExamples.of(type), StandardCharsets.UTF_8);
        return ("{\"herald_it_sequence\":\"" + sequence + "\"," + example.substring(example.indexOf('{') + 1))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Until the router's group has committed every raw record: all that reached Kafka went through routing. */
    private static void awaitRouterCaughtUpWithRaw(String bootstrapServers, String raw) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("herald-router")
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int partition = 0; partition < 3; partition++) {
                    latest.put(new TopicPartition(raw, partition), OffsetSpec.latest());
                }
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((partition, end) -> {
                    OffsetAndMetadata offset = committed.get(partition);
                    assertThat(offset == null ? 0 : offset.offset()).as("committed on %s", partition)
                            .isEqualTo(end.offset());
                });
            });
        }
    }

    private static KafkaConsumer<String, byte[]> reader(String bootstrapServers, List<String> topics) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static void readInto(KafkaConsumer<String, byte[]> consumer, Map<String, Integer> routed) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            Matcher sequence = SEQUENCE.matcher(new String(record.value(), StandardCharsets.UTF_8));
            if (sequence.find()) {
                routed.merge(sequence.group(1), 1, Integer::sum);
            }
        }
    }

    /** Sender threads that post distinct webhooks without ids, one after the other, until closed. */
    private static final class Senders implements AutoCloseable {

        static final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
        static final Map<String, Integer> answers = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads;

        Senders(URI uri, int count) {
            bodies.clear();
            answers.clear();
            threads = Executors.newFixedThreadPool(count);
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < count; i++) {
                threads.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        String sequence = UUID.randomUUID().toString();
                        byte[] body = uniqueBody(EventType.values()[n++ % EventType.values().length], sequence);
                        bodies.put(sequence, body);
                        int status;
                        try {
                            status = post(http, uri, body);
                        } catch (IOException e) {
                            status = -1;
                        }
                        answers.put(sequence, status);
                    }
                    return null;
                });
            }
        }

        long count(int status) {
            return answers.values().stream().filter(answer -> answer == status).count();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            assertThat(threads.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
