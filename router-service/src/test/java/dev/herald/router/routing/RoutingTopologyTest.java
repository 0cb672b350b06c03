package dev.herald.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The routing topology without a broker, through Kafka's TopologyTestDriver. */
class RoutingTopologyTest {

    private static final Topics TOPICS = Topics.withDefaultPrefix();
    private static final Duration BODY_WINDOW = Duration.ofMinutes(10);
    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> raw;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "router-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(
                RoutingTopology.build(TOPICS, Duration.ofHours(24), BODY_WINDOW, new RoutingMetrics(registry, TOPICS),
                        OpenTelemetry.noop().getTracer("test")),
                props, START);
        raw = driver.createInputTopic(TOPICS.raw(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void documentedTypeGoesToItsOwnTopicUnchanged(EventType type) {
        byte[] body = DocumentedExamples.of(type);
        Headers headers = headers("evt-1", "sender", body);

        raw.pipeInput(new TestRecord<>("12345678", body, headers, START));

        List<TestRecord<String, byte[]>> routed = output(TOPICS.forType(type)).readRecordsToList();
        assertThat(routed).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("12345678");
            assertThat(record.value()).isEqualTo(body);
            assertThat(record.headers().toArray()).containsExactly(headers.toArray());
        });
        assertThat(otherOutputsThan(TOPICS.forType(type))).isEmpty();
    }

    @Test
    void undocumentedTypeGoesToTheUnknownTopic() {
        byte[] body = utf8("{\"type\":\"budget-exceeded\",\"amount\":3}");

        raw.pipeInput(new TestRecord<>("k", body, headers("evt-2", "sender", body), START));

        assertThat(output(TOPICS.unknownEvents()).readValuesToList()).containsExactly(body);
    }

    @Test
    void garbageGoesToTheDeadLetterTopicNamingTheErrorAndItsSource() {
        byte[] body = utf8("not json at all");

        raw.pipeInput(new TestRecord<>("k", body, headers("evt-3", "sender", body), START));
        raw.pipeInput(new TestRecord<>("k", utf8("{\"no\":\"type\"}"), headers("evt-4", "sender", body), START));

        List<TestRecord<String, byte[]>> dead = output(TOPICS.routerDeadLetter()).readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isEqualTo(body);
        assertThat(header(dead.get(0), RawWebhookRouter.ERROR)).isEqualTo("malformed-body");
        assertThat(header(dead.get(0), RawWebhookRouter.ERROR_DETAIL)).contains("not valid JSON");
        assertThat(header(dead.get(0), RawWebhookRouter.SOURCE_TOPIC)).isEqualTo(TOPICS.raw());
        assertThat(header(dead.get(0), RawWebhookRouter.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead.get(0), RawWebhookRouter.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dead.get(1), RawWebhookRouter.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(header(dead.get(1), RawWebhookRouter.ERROR_DETAIL)).contains("$.type is missing");
        assertThat(registry.get("herald.router.records.dead_lettered").tag("reason", "malformed-body").counter().count())
                .isEqualTo(2.0);
    }

    @Test
    void recordWithoutEventIdGoesToTheDeadLetterTopic() {
        byte[] body = DocumentedExamples.of(EventType.SPOT_RECREATED);

        raw.pipeInput(new TestRecord<>("k", body, new RecordHeaders(), START));

        assertThat(output(TOPICS.routerDeadLetter()).readRecordsToList()).singleElement()
                .satisfies(r -> assertThat(header(r, RawWebhookRouter.ERROR)).isEqualTo("missing-event-id"));
        assertThat(output(TOPICS.forType(EventType.SPOT_RECREATED)).isEmpty()).isTrue();
    }

    @Test
    void sameEventIdWithin24HoursIsForwardedOnce() {
        byte[] body = DocumentedExamples.of(EventType.SPOT_ROLLBACK);

        raw.pipeInput(new TestRecord<>("k", body, headers("evt-5", "sender", body), START));
        raw.pipeInput(new TestRecord<>("k", body, headers("evt-5", "sender", body), START.plusSeconds(60)));
        raw.pipeInput(new TestRecord<>("k", body, headers("evt-5", "sender", body), START.plus(Duration.ofHours(23))));

        assertThat(output(TOPICS.forType(EventType.SPOT_ROLLBACK)).readValuesToList()).hasSize(1);
        assertThat(registry.get("herald.router.duplicates.dropped").tag("matched_by", "event_id").counter().count())
                .isEqualTo(2.0);
    }

    @Test
    void differentEventIdsWithTheSameBodyAreBothForwarded() {
        byte[] body = DocumentedExamples.of(EventType.SPOT_ROLLBACK);

        raw.pipeInput(new TestRecord<>("k", body, headers("evt-6", "sender", body), START));
        raw.pipeInput(new TestRecord<>("k", body, headers("evt-7", "sender", body), START));

        assertThat(output(TOPICS.forType(EventType.SPOT_ROLLBACK)).readValuesToList()).hasSize(2);
    }

    @Test
    void sameBodyWithoutSenderIdIsForwardedOnceWithinTheWindowAndAgainAfterIt() {
        byte[] body = DocumentedExamples.of(EventType.CLOUDSITTER_POLICY_FAILED);

        raw.pipeInput(new TestRecord<>("k", body, headers("gen-1", "generated", body), START));
        raw.pipeInput(new TestRecord<>("k", body, headers("gen-2", "generated", body), START.plus(Duration.ofMinutes(9))));
        raw.pipeInput(new TestRecord<>("k", body, headers("gen-3", "generated", body),
                START.plus(Duration.ofMinutes(9)).plus(BODY_WINDOW).plusSeconds(1)));

        assertThat(output(TOPICS.forType(EventType.CLOUDSITTER_POLICY_FAILED)).readRecordsToList())
                .extracting(r -> header(r, EventHeaders.CE_ID))
                .containsExactly("gen-1", "gen-3");
        assertThat(registry.get("herald.router.duplicates.dropped").tag("matched_by", "body").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void recordsWithTheSameKeyKeepTheirOrder() {
        for (int i = 0; i < 50; i++) {
            byte[] body = utf8("{\"type\":\"trial-period-ended\",\"accounts\":[{\"account_name\":\"n" + i
                    + "\",\"account_id\":\"42\"}]}");
            raw.pipeInput(new TestRecord<>("42", body, headers("evt-order-" + i, "sender", body), START.plusMillis(i)));
        }

        assertThat(output(TOPICS.forType(EventType.TRIAL_PERIOD_ENDED)).readRecordsToList())
                .extracting(r -> header(r, EventHeaders.CE_ID))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "evt-order-" + i).toList());
    }

    private TestOutputTopic<String, byte[]> output(String topic) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    private List<TestRecord<String, byte[]>> otherOutputsThan(String topic) {
        List<String> others = new java.util.ArrayList<>(TOPICS.eventTopics());
        others.add(TOPICS.routerDeadLetter());
        others.remove(topic);
        return others.stream().flatMap(t -> output(t).readRecordsToList().stream()).toList();
    }

    private static Headers headers(String id, String idSource, byte[] body) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.CE_SPECVERSION, utf8("1.0"));
        headers.add(EventHeaders.CE_ID, utf8(id));
        headers.add(EventHeaders.CE_TIME, utf8(START.toString()));
        headers.add(EventHeaders.ID_SOURCE, utf8(idSource));
        try {
            headers.add(EventHeaders.BODY_SHA256, utf8(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(body))));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return headers;
    }

    private static String header(TestRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
