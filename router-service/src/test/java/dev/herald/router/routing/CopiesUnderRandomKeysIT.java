package dev.herald.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.TopicReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Copies of one webhook written under random keys, so on different partitions of the raw topic, as the ingest wrote
 * them before it keyed records by their content (a generated UUID keyed a record without a sender id): each event is
 * routed once, with or without a sender id.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class CopiesUnderRandomKeysIT {

    private static final Topics TOPICS = Topics.withDefaultPrefix();
    private static final int EVENTS_PER_KIND = 30;
    private static final int COPIES = 3;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    MeterRegistry registry;

    private record Copy(String event, String type, byte[] body, String id, String idSource, String key) {
    }

    @Test
    void everyEventIsRoutedOnceWhicheverPartitionsItsCopiesLandOn() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            assertThat(admin.describeTopics(List.of(TOPICS.raw())).allTopicNames().get().get(TOPICS.raw()).partitions())
                    .as("partitions of the raw topic").hasSizeGreaterThanOrEqualTo(3);
        }
        String run = "copies-" + UUID.randomUUID();
        Random random = new Random(13);
        List<String> types = new ArrayList<>(List.of(EventType.values()).stream().map(EventType::typeName).toList());
        types.add("undocumented-copy");
        List<Copy> copies = new ArrayList<>();
        for (int i = 0; i < EVENTS_PER_KIND; i++) {
            String type = types.get(i % types.size());
            byte[] withoutId = MixedRawEvents.uniqueBody(type, run, i);
            byte[] withId = MixedRawEvents.uniqueBody(type, run, EVENTS_PER_KIND + i);
            for (int c = 0; c < COPIES; c++) {
                copies.add(new Copy("generated-" + i, type, withoutId, run + "-gen-" + i + "-" + c, EventHeaders.ID_GENERATED,
                        "key-" + random.nextLong()));
                copies.add(new Copy("sender-" + i, type, withId, run + "-msg-" + i, EventHeaders.ID_FROM_SENDER,
                        "key-" + random.nextLong()));
            }
        }
        Collections.shuffle(copies, random);
        double routedBefore = routed();
        double droppedBefore = dropped();

        Map<String, Set<Integer>> partitionsByEvent = produce(copies);

        assertThat(partitionsByEvent.values().stream().filter(partitions -> partitions.size() > 1).count())
                .as("events whose copies landed on several partitions").isGreaterThan(EVENTS_PER_KIND);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> routed() - routedBefore + dropped() - droppedBefore >= copies.size());
        // What the router counted as routed is readable once its transaction commits.
        List<ConsumerRecord<String, byte[]>> routed = routedOfRun(run, types, (int) (routed() - routedBefore));
        assertThat(routed).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .as("each body once").doesNotHaveDuplicates().hasSize(2 * EVENTS_PER_KIND);
        assertThat(routed).extracting(r -> TopicReader.header(r, EventHeaders.CE_ID))
                .filteredOn(id -> id.contains("-msg-"))
                .as("each sender id once").doesNotHaveDuplicates().hasSize(EVENTS_PER_KIND);
    }

    private Map<String, Set<Integer>> produce(List<Copy> copies) throws Exception {
        Map<String, Set<Integer>> partitionsByEvent = new HashMap<>();
        try (KafkaProducer<String, byte[]> producer = MixedRawEvents.producer(bootstrapServers)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Copy copy : copies) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(EventHeaders.CE_ID, MixedRawEvents.utf8(copy.id()));
                headers.add(EventHeaders.CE_TYPE, MixedRawEvents.utf8(copy.type()));
                headers.add(EventHeaders.CE_TIME, MixedRawEvents.utf8(Instant.now().toString()));
                headers.add(EventHeaders.ID_SOURCE, MixedRawEvents.utf8(copy.idSource()));
                headers.add(EventHeaders.BODY_SHA256, MixedRawEvents.utf8(MixedRawEvents.sha256(copy.body())));
                sent.add(producer.send(new ProducerRecord<>(TOPICS.raw(), null, copy.key(), copy.body(), headers)));
            }
            for (int i = 0; i < copies.size(); i++) {
                partitionsByEvent.computeIfAbsent(copies.get(i).event(), e -> new HashSet<>()).add(sent.get(i).get().partition());
            }
        }
        return partitionsByEvent;
    }

    /** The run's records in the per-type topics, once at least {@code expected} are there. */
    private List<ConsumerRecord<String, byte[]>> routedOfRun(String run, List<String> types, int expected) {
        String marker = "\"run\":\"" + run + "\"";
        List<TopicReader> readers = types.stream().map(TOPICS::forType).distinct()
                .map(topic -> new TopicReader(bootstrapServers, topic)).toList();
        try {
            List<ConsumerRecord<String, byte[]>> routed = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                routed.clear();
                for (TopicReader reader : readers) {
                    reader.readToEnd(Duration.ofSeconds(30)).stream()
                            .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker))
                            .forEach(routed::add);
                }
                return routed.size() >= expected;
            });
            return routed;
        } finally {
            readers.forEach(TopicReader::close);
        }
    }

    private double routed() {
        return registry.find("herald.router.records.routed").counters().stream().mapToDouble(Counter::count).sum();
    }

    private double dropped() {
        return registry.find("herald.router.duplicates.dropped").counters().stream().mapToDouble(Counter::count).sum();
    }
}
