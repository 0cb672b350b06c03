package dev.herald.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.DeliveryHeaders;
import dev.herald.events.EventHeaders;
import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.LargestRecord;
import dev.herald.kafka.embedded.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Records that are not readable events — a header without a value, a body that is not JSON, a delivery record
 * without its headers — go to the dead-letter topic once each, with the reason, and the partition goes on.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = NotifierTestResource.class, scope = TestResourceScope.GLOBAL)
class PoisonRecordsIT {

    private static final Topics TOPICS = Topics.withDefaultPrefix();
    private static final String TYPE = "trial-period-ended";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    TestSinks sinks;

    @Test
    void poisonRecordsAreDeadLetteredOnceAndTheEventsAfterThemAreDelivered() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            RecordHeaders nullId = headers("poison-null-id");
            nullId.remove(EventHeaders.CE_ID);
            nullId.add(new RecordHeader(EventHeaders.CE_ID, (byte[]) null));
            send(producer, TOPICS.forType(TYPE), "same-key", body("poison-null-id"), nullId);
            send(producer, TOPICS.forType(TYPE), "same-key", utf8("not json {"), headers("poison-not-json"));
            // A blank id used to stop the type's fan-out for good (every restart met it again).
            send(producer, TOPICS.forType(TYPE), "same-key", body("poison-blank-id"), headers(" "));
            send(producer, TOPICS.deliveries(), "same-key", body("poison-delivery"), new RecordHeaders());
            send(producer, TOPICS.forType(TYPE), "same-key", body("after-poison"), headers("after-poison"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> sinks.mailsOf("after-poison").size() == 1);
        try (TopicReader deadLetters = new TopicReader(bootstrapServers, TOPICS.notifierDeadLetter())) {
            deadLetters.readUntil(records -> records.stream().filter(PoisonRecordsIT::isPoison).count() >= 4,
                    Duration.ofSeconds(30));
            // Everything up to the topic's end: a poison record dead-lettered twice would show here.
            var poison = deadLetters.readToEnd(Duration.ofSeconds(30)).stream().filter(PoisonRecordsIT::isPoison).toList();
            assertThat(poison).hasSize(4);
            assertThat(poison).extracting(r -> TopicReader.header(r, DeliveryHeaders.ERROR))
                    .anyMatch(error -> error.contains("ce_id"))
                    .anyMatch(error -> error.contains("not a readable Uniskai event"))
                    .anyMatch(error -> error.contains("headers are missing"));
        }
        assertThat(sinks.mailsOf("after-poison")).hasSize(1);
    }

    @Test
    void anEventStampedWithATimeNoClockGivesIsSentAndSettledOnce() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            RecordHeaders ancient = headers("ancient-time");
            ancient.add(EventHeaders.CE_TIME, utf8("0001-01-01T00:00:00Z"));
            send(producer, TOPICS.forType(TYPE), "ancient", body("ancient-time"), ancient);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> sinks.mailsOf("ancient-time").size() == 1);
        // Its attempt is settled (its age, about 2,000 years, used to throw after the send, in the latency timer:
        // no outcome, no done mark, the mailbox's place in flight and the partition's commit held for good).
        try (TopicReader outcomes = new TopicReader(bootstrapServers, TOPICS.outcomes())) {
            outcomes.awaitRecord(record -> "ancient-time".equals(record.key())
                    && new String(record.value(), StandardCharsets.UTF_8).contains("\"outcome\":\"sent\"")
                    && new String(record.value(), StandardCharsets.UTF_8).contains("\"channel\":\"email\""),
                    Duration.ofSeconds(30));
        }
        assertThat(sinks.mailsOf("ancient-time")).hasSize(1);
    }

    @Test
    void anEventAtItsTopicsLimitIsDeadLetteredWithoutItsBodyAndTheEventsAfterItAreDelivered() throws Exception {
        // Made at 2 MiB, as the router makes per-type topics (RecordSizeLimits); at 1 MiB, its deliveries would fit the
        // deliveries topic and be sent, and this test would fail.
        String topic = TOPICS.forType(TYPE);
        // A readable event within 8 bytes of the largest record its topic takes: its deliveries, and its dead letter
        // with the body, are a few hundred bytes larger, and Kafka refuses them.
        LargestRecord.write(bootstrapServers, RecordSizeLimits.EVENT_RECORD_BYTES, size -> {
            String start = new String(body("at-limit"), StandardCharsets.UTF_8);
            String padding = ",\"padding\":\"" + "x".repeat(Math.max(0, size - start.length() - 16)) + "\"}";
            return new ProducerRecord<>(topic, null, "at-limit", utf8(start.replaceFirst("}$", padding)),
                    headers("at-limit"));
        });
        try (KafkaProducer<String, byte[]> producer = producer()) {
            send(producer, topic, "at-limit", body("after-limit"), headers("after-limit"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> sinks.mailsOf("after-limit").size() == 1);
        try (TopicReader deadLetters = new TopicReader(bootstrapServers, TOPICS.notifierDeadLetter())) {
            var dead = deadLetters.awaitRecord(r -> "at-limit".equals(TopicReader.header(r, EventHeaders.CE_ID)),
                    Duration.ofSeconds(30));
            assertThat(dead.value()).isEmpty();
            assertThat(TopicReader.header(dead, DeliveryHeaders.ERROR)).contains("bytes when serialized")
                    .contains("the body is left out");
            // Once: read to the end, a second dead letter of it would show.
            assertThat(deadLetters.readToEnd(Duration.ofSeconds(30)))
                    .filteredOn(r -> "at-limit".equals(TopicReader.header(r, EventHeaders.CE_ID))).hasSize(1);
        }
        assertThat(sinks.mailsOf("at-limit")).isEmpty();
    }

    private static boolean isPoison(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record) {
        String body = new String(record.value(), StandardCharsets.UTF_8);
        return body.contains("poison-") || body.equals("not json {");
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] body,
            RecordHeaders headers) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, key, body, headers)).get(30, TimeUnit.SECONDS);
    }

    private static RecordHeaders headers(String eventId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.CE_ID, utf8(eventId));
        headers.add(EventHeaders.CE_TYPE, utf8(TYPE));
        return headers;
    }

    private static byte[] body(String name) {
        return utf8("{\"type\":\"" + TYPE + "\",\"accounts\":[{\"account_name\":\"" + name + "\",\"account_id\":\"1\"}]}");
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
