package dev.herald.router.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.events.ParseOutcome;
import dev.herald.events.RawRecordKey;
import dev.herald.events.Topics;
import dev.herald.events.WebhookParser;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.PackagedService;
import dev.herald.kafka.embedded.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged router keeps its state directory while Kafka is wiped and recreated at the same address: a new cluster
 * whose changelogs and offsets know nothing of that state. The same events, posted again to the new cluster, are all
 * routed; none is taken for a copy of what the old cluster saw.
 */
class NewClusterIT {

    private static final Topics TOPICS = Topics.withDefaultPrefix();
    private static final int EVENTS = 30;
    /** Topics come from the router, as they would after the wipe: none is created by a write. */
    private static final Map<String, String> BROKER = Map.of("auto.create.topics.enable", "false");

    private record RawEvent(String key, byte[] body, String id, String idSource) {
    }

    @TempDir
    Path dir;

    @Test
    void stateBuiltFromAWipedClusterIsWipedAndEveryEventOfTheNewOneIsRouted() throws Exception {
        Path stateDir = dir.resolve("router-state");
        List<RawEvent> events = events();
        int port;
        try (KafkaBroker first = KafkaBroker.create(0, dir.resolve("cluster-a"), BROKER)) {
            first.start();
            port = first.port();
            try (PackagedService router = startRouter(first, stateDir)) {
                router.awaitReady(Duration.ofSeconds(120));
                produce(first, events);
                awaitRouted(first, events);
            }
        }
        assertThat(taskDirectories(stateDir)).as("tasks with state from the first cluster").isNotEmpty();
        String firstCluster = Files.readString(stateDir.resolve("herald-router.cluster-id")).strip();

        try (KafkaBroker second = KafkaBroker.create(port, dir.resolve("cluster-b"), BROKER)) {
            second.start();
            try (PackagedService router = startRouter(second, stateDir)) {
                router.awaitReady(Duration.ofSeconds(120));
                produce(second, events);

                awaitRouted(second, events);
                assertThat(router.log()).contains("Wiped the router's local state")
                        .contains("built from Kafka cluster " + firstCluster);
            }
        }
        assertThat(Files.readString(stateDir.resolve("herald-router.cluster-id")).strip()).isNotEqualTo(firstCluster);
    }

    private static PackagedService startRouter(KafkaBroker broker, Path stateDir) {
        return PackagedService.start(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "KAFKA_STREAMS_STATE_DIR", stateDir.toString()));
    }

    /** Half with ids Herald generated (deduplicated by body), half with the sender's, each keyed as the ingest keys it. */
    private static List<RawEvent> events() {
        List<RawEvent> events = new ArrayList<>();
        EventType[] types = EventType.values();
        for (int i = 0; i < EVENTS; i++) {
            String example = new String(DocumentedExamples.of(types[i % types.length]), StandardCharsets.UTF_8);
            byte[] body = example.replaceFirst("\\{", "{\"seq\":" + i + ",").getBytes(StandardCharsets.UTF_8);
            boolean generated = i % 2 == 0;
            String id = (generated ? "gen-" : "msg-") + i;
            events.add(new RawEvent(key(body, generated ? null : id), body, id,
                    generated ? EventHeaders.ID_GENERATED : EventHeaders.ID_FROM_SENDER));
        }
        return events;
    }

    private static String key(byte[] body, String senderId) {
        var event = ((ParseOutcome.Parsed) new WebhookParser().parse(body)).event();
        return RawRecordKey.of(event.accountIds(), senderId, sha256(body));
    }

    private static void produce(KafkaBroker broker, List<RawEvent> events) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (RawEvent event : events) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(EventHeaders.CE_ID, utf8(event.id()));
                headers.add(EventHeaders.CE_TIME, utf8(Instant.now().toString()));
                headers.add(EventHeaders.ID_SOURCE, utf8(event.idSource()));
                headers.add(EventHeaders.BODY_SHA256, utf8(sha256(event.body())));
                producer.send(new ProducerRecord<>(TOPICS.raw(), null, event.key(), event.body(), headers)).get();
            }
        }
    }

    /** Every event once in its topic of this cluster. */
    private static void awaitRouted(KafkaBroker broker, List<RawEvent> events) {
        List<String> routed = new ArrayList<>();
        for (String topic : TOPICS.eventTopics()) {
            long expected = events.stream().filter(e -> TOPICS.forType(type(e)).equals(topic)).count();
            if (expected == 0) {
                continue;
            }
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), topic)) {
                reader.readUntil(read -> read.size() >= expected, Duration.ofSeconds(60));
                reader.readToEnd(Duration.ofSeconds(30)).stream()
                        .map(r -> TopicReader.header(r, EventHeaders.CE_ID)).forEach(routed::add);
            }
        }
        assertThat(routed).containsExactlyInAnyOrderElementsOf(events.stream().map(RawEvent::id).toList());
    }

    private static String type(RawEvent event) {
        return ((ParseOutcome.Parsed) new WebhookParser().parse(event.body())).event().type();
    }

    private static List<Path> taskDirectories(Path stateDir) throws IOException {
        try (Stream<Path> tasks = Files.list(stateDir.resolve("herald-router"))) {
            return tasks.filter(p -> p.getFileName().toString().matches("\\d+_\\d+")).toList();
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
