package dev.herald.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged router, run as its own process and killed with SIGKILL (no close, no commit) several times while
 * 10,000 events flow. Afterwards every event is in its topic exactly once. It runs under its own topic prefix and
 * application id, beside the router that Quarkus starts for the other tests.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class RouterCrashIT {

    private static final String PREFIX = "crash";
    private static final String APPLICATION_ID = "herald-router-crash";
    private static final Topics TOPICS = new Topics(PREFIX);
    private static final int CHUNKS = 10;
    private static final List<Integer> KILL_AFTER_CHUNKS = List.of(2, 5, 8);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private Process router;
    private Path stateDir;
    private Path log;

    @AfterEach
    void stopRouter() {
        if (router != null) {
            router.destroyForcibly();
        }
    }

    @Test
    void routerKilledSeveralTimesMidStreamLosesAndDoublesNothing() throws Exception {
        stateDir = Files.createTempDirectory("router-crash-state");
        log = Files.createTempFile("router-crash", ".log");
        MixedRawEvents events = new MixedRawEvents(TOPICS, PREFIX, 10_000, 11);
        int chunkSize = events.events.size() / CHUNKS;
        startRouter();

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
                KafkaProducer<String, byte[]> producer = MixedRawEvents.producer(bootstrapServers)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> admin.listTopics().names().get().containsAll(TOPICS.eventTopics()));
            int kills = 0;
            for (int chunk = 0; chunk < CHUNKS; chunk++) {
                for (MixedRawEvents.RawEvent event : events.events.subList(chunk * chunkSize, (chunk + 1) * chunkSize)) {
                    producer.send(new ProducerRecord<>(TOPICS.raw(), null, event.key(), event.body(), event.headers()));
                }
                producer.flush();
                if (KILL_AFTER_CHUNKS.contains(chunk)) {
                    long midChunk = (long) chunk * chunkSize + chunkSize / 2;
                    await().atMost(Duration.ofSeconds(120)).until(() -> committedOffsets(admin) >= midChunk);
                    router.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    kills++;
                    startRouter();
                }
            }
            assertThat(kills).isEqualTo(KILL_AFTER_CHUNKS.size());
            long total = events.events.size();
            await().atMost(Duration.ofSeconds(180)).until(() -> committedOffsets(admin) >= total);
        }

        RoutedTopics.assertExactlyOnce(bootstrapServers, PREFIX, events, TOPICS.routerDeadLetter(), Duration.ofSeconds(60));
    }

    private void startRouter() throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).exists();
        router = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dquarkus.http.port=0",
                "-Dkafka.bootstrap.servers=" + bootstrapServers,
                "-Dherald.topic-prefix=" + PREFIX,
                "-Dquarkus.kafka-streams.application-id=" + APPLICATION_ID,
                "-Dkafka-streams.state.dir=" + stateDir,
                "-Dkafka-streams.replication.factor=1",
                "-Dkafka-streams.consumer.session.timeout.ms=6000",
                "-Dkafka-streams.consumer.heartbeat.interval.ms=1000",
                "-Dquarkus.log.category.\"org.apache.kafka.streams\".level=INFO",
                "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    /** How far the router's consumer group has committed on the raw topic, over all partitions. */
    private long committedOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata().get();
        return committed.entrySet().stream()
                .filter(e -> e.getKey().topic().equals(TOPICS.raw()) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

}
