package dev.herald.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.events.ParseOutcome;
import dev.herald.events.RawRecordKey;
import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.events.WebhookParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.WindowStore;
import org.jboss.logmanager.ExtLogRecord;
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
        String key = ingestKey(body, headers);

        raw.pipeInput(new TestRecord<>(key, body, headers, START));

        List<TestRecord<String, byte[]>> routed = output(TOPICS.forType(type)).readRecordsToList();
        assertThat(routed).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(key);
            assertThat(record.value()).isEqualTo(body);
            assertThat(record.headers().toArray()).containsExactly(headers.toArray());
        });
        assertThat(otherOutputsThan(TOPICS.forType(type))).as("nothing else, nothing re-keyed").isEmpty();
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
    void anEventIdTheIngestWouldRefuseGoesToTheDeadLetterTopic() {
        byte[] body = DocumentedExamples.of(EventType.SPOT_RECREATED);

        // Written by something else than the ingest: an id of a megabyte would key a changelog record the broker refuses.
        raw.pipeInput(new TestRecord<>("k", body, headers("x".repeat(1_000_000), "sender", body), START));
        raw.pipeInput(new TestRecord<>("k", body, headers("evt\nwith a line break", "sender", body), START));

        assertThat(output(TOPICS.routerDeadLetter()).readRecordsToList()).hasSize(2)
                .allSatisfy(r -> assertThat(header(r, RawWebhookRouter.ERROR_DETAIL)).contains("visible ASCII"));
        assertThat(output(TOPICS.forType(EventType.SPOT_RECREATED)).isEmpty()).isTrue();
    }

    @Test
    void theLargestRecordTheIngestWritesIsRoutedNotTooLarge() {
        // Its largest body, with a type, an id and an account id (its key) of 200 characters, the most it takes.
        String type = "t".repeat(200); // the parser's limit for a type
        String start = "{\"type\":\"" + type + "\",\"account_id\":\"" + "a".repeat(200) + "\",\"padding\":\"";
        byte[] body = utf8(start + "x".repeat(RecordSizeLimits.MAX_BODY_BYTES - start.length() - 2) + "\"}");
        assertThat(body).hasSize(RecordSizeLimits.MAX_BODY_BYTES);
        Headers headers = headers("i".repeat(RawWebhookRouter.MAX_EVENT_ID_LENGTH), "sender", body);
        headers.add(EventHeaders.CE_SOURCE, utf8(EventHeaders.SOURCE));
        headers.add(EventHeaders.CE_TYPE, utf8(type));
        headers.add(EventHeaders.CONTENT_TYPE, utf8(EventHeaders.JSON));
        headers.add(EventHeaders.TRACEPARENT, utf8("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

        raw.pipeInput(new TestRecord<>(ingestKey(body, headers), body, headers, START));

        assertThat(output(TOPICS.unknownEvents()).readRecordsToList()).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(body));
        assertThat(output(TOPICS.routerDeadLetter()).isEmpty()).isTrue();
    }

    @Test
    void aRecordLargerThanAnyTheIngestWritesIsDeadLetteredWithoutItsBodyCountingEveryHeader() {
        byte[] body = DocumentedExamples.of(EventType.SPOT_RECREATED);
        Headers headers = headers("evt-many-headers", "sender", body);
        // Each costs Kafka two bytes at least: 600,000 empty ones are over a MiB, with an event of one KiB.
        for (int i = 0; i < 600_000; i++) {
            headers.add("", null);
        }

        raw.pipeInput(new TestRecord<>(ingestKey(body, headers), body, headers, START));

        assertThat(output(TOPICS.routerDeadLetter()).readRecordsToList()).singleElement().satisfies(dead -> {
            assertThat(dead.value()).isEmpty();
            assertThat(header(dead, RawWebhookRouter.ERROR)).isEqualTo("too-large");
            assertThat(header(dead, EventHeaders.CE_ID)).isEqualTo("evt-many-headers");
            assertThat(dead.headers().toArray()).hasSizeLessThan(10);
        });
        assertThat(output(TOPICS.forType(EventType.SPOT_RECREATED)).isEmpty()).isTrue();
        assertThat(registry.get("herald.router.records.dead_lettered").tag("reason", "too-large").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aRecordJustUnderTheLimitIsStillRoutedAfterItsRekeyingGrewItsKey() {
        // Under the limit on the raw topic with no key; read back from the rekeyed topic under its own key (at most
        // 200 characters), it is over the raw topic's limit by the key, and still routed, not dead-lettered there.
        String start = "{\"type\":\"spot-recreated\",\"padding\":\"";
        Headers headers = headers("just-under", "sender", new byte[0]);
        String key = "k".repeat(200);
        long others = RecordBytes.of(null, new byte[0], headers);
        byte[] body = utf8(start + "x".repeat((int) (RawWebhookRouter.MAX_RECORD_BYTES - others - start.length() - 2)) + "\"}");
        assertThat(RecordBytes.of(null, body, headers)).isEqualTo(RawWebhookRouter.MAX_RECORD_BYTES);
        var rekeyed = driver.createInputTopic(TOPICS.routerRekeyed(), Serdes.String().serializer(), Serdes.ByteArray().serializer());

        rekeyed.pipeInput(new TestRecord<>(key, body, headers, START));
        raw.pipeInput(new TestRecord<>(key, body, headers("just-under-raw", "sender", new byte[0]), START));

        assertThat(output(TOPICS.forType(EventType.SPOT_RECREATED)).readRecordsToList()).singleElement()
                .satisfies(r -> assertThat(header(r, EventHeaders.CE_ID)).isEqualTo("just-under"));
        assertThat(output(TOPICS.routerDeadLetter()).readRecordsToList()).singleElement()
                .satisfies(r -> assertThat(header(r, EventHeaders.CE_ID)).isEqualTo("just-under-raw"));
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

    @Test
    void aRecordUnderAnotherKeyIsRoutedUnderTheIngestsKeyThroughTheRekeyedTopic() {
        byte[] body = DocumentedExamples.of(EventType.SPOT_RECREATED);
        Headers headers = headers("gen-r1", "generated", body);
        String key = ingestKey(body, headers);
        assertThat(key).startsWith("sha256:");

        raw.pipeInput(new TestRecord<>("random-key", body, headers, START));

        assertThat(output(TOPICS.routerRekeyed()).readRecordsToList()).singleElement().satisfies(rekeyed -> {
            assertThat(rekeyed.key()).isEqualTo(key);
            assertThat(rekeyed.value()).isEqualTo(body);
        });
        assertThat(output(TOPICS.forType(EventType.SPOT_RECREATED)).readRecordsToList()).singleElement().satisfies(routed -> {
            assertThat(routed.key()).isEqualTo(key);
            assertThat(routed.value()).isEqualTo(body);
            assertThat(header(routed, EventHeaders.CE_ID)).isEqualTo("gen-r1");
        });
    }

    @Test
    void aRecordReadBackFromTheRekeyedTopicIsRoutedEvenUnderAKeyThatIsNotItsOwn() {
        byte[] body = DocumentedExamples.of(EventType.SPOT_RECREATED);
        Headers headers = headers("gen-loop", "generated", body);
        var rekeyed = driver.createInputTopic(TOPICS.routerRekeyed(), Serdes.String().serializer(), Serdes.ByteArray().serializer());

        // A key mangled on the way (e.g. an account id that does not survive UTF-8) must not go round again.
        rekeyed.pipeInput(new TestRecord<>("mangled-?", body, headers, START));

        assertThat(output(TOPICS.routerRekeyed()).readRecordsToList()).as("not re-keyed a second time").isEmpty();
        assertThat(output(TOPICS.forType(EventType.SPOT_RECREATED)).readRecordsToList()).hasSize(1);
    }

    @Test
    void copiesUnderRandomKeysAreRoutedOnceWithOrWithoutASenderId() {
        byte[] withoutId = DocumentedExamples.of(EventType.CLOUDSITTER_POLICY_FAILED);
        byte[] withId = DocumentedExamples.of(EventType.SPOT_ROLLBACK);
        byte[] oneAccount = DocumentedExamples.of(EventType.TRIAL_PERIOD_ENDED);
        for (int copy = 0; copy < 3; copy++) {
            raw.pipeInput(new TestRecord<>("random-" + copy, withoutId, headers("gen-" + copy, "generated", withoutId), START));
            raw.pipeInput(new TestRecord<>("other-" + copy, withId, headers("msg-1", "sender", withId), START));
            raw.pipeInput(new TestRecord<>("third-" + copy, oneAccount, headers("gen-a" + copy, "generated", oneAccount), START));
        }

        assertThat(output(TOPICS.forType(EventType.CLOUDSITTER_POLICY_FAILED)).readRecordsToList()).hasSize(1);
        assertThat(output(TOPICS.forType(EventType.SPOT_ROLLBACK)).readRecordsToList()).hasSize(1);
        assertThat(output(TOPICS.forType(EventType.TRIAL_PERIOD_ENDED)).readKeyValuesToList()).singleElement()
                .satisfies(routed -> assertThat(routed.key).as("the one account it names").isEqualTo("12345678"));
        assertThat(dropped("body")).isEqualTo(4.0);
        assertThat(dropped("event_id")).isEqualTo(2.0);
    }

    @Test
    void aSenderIdReusedWithAnotherBodyIsCountedAndDroppedTheFirstWins() {
        byte[] first = DocumentedExamples.of(EventType.SPOT_ROLLBACK);
        byte[] other = utf8(new String(first, StandardCharsets.UTF_8).replaceFirst("\\{", "{\"note\":\"edited\","));

        List<LogRecord> warnings = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(RawWebhookRouter.class.getName());
        log.addHandler(capture);
        try {
            raw.pipeInput(new TestRecord<>("msg-9", first, headers("msg-9", "sender", first), START));
            raw.pipeInput(new TestRecord<>("msg-9", other, headers("msg-9", "sender", other), START.plusSeconds(5)));
            raw.pipeInput(new TestRecord<>("msg-9", first, headers("msg-9", "sender", first), START.plusSeconds(10)));
        } finally {
            log.removeHandler(capture);
        }

        assertThat(output(TOPICS.forType(EventType.SPOT_ROLLBACK)).readValuesToList()).containsExactly(first);
        assertThat(registry.get("herald.router.id.conflicts").counter().count()).isEqualTo(1.0);
        assertThat(dropped("event_id")).as("the byte-identical retry is a plain copy").isEqualTo(1.0);
        assertThat(warnings).singleElement().extracting(warning -> ((ExtLogRecord) warning).getFormattedMessage())
                .asString()
                .contains(MixedRawEvents.sha256(first), MixedRawEvents.sha256(other))
                .doesNotContain("edited");
    }

    @Test
    void anIdRememberedBeforeBodiesWereKeptIsACopyNotAConflict() {
        byte[] body = DocumentedExamples.of(EventType.SPOT_ROLLBACK);
        // What the store's changelog holds from before: the id with a timestamp, read through the store's String serde.
        String timestamp = Serdes.String().deserializer().deserialize("changelog",
                Serdes.Long().serializer().serialize("changelog", START.toEpochMilli()));
        WindowStore<String, String> ids = driver.getWindowStore(RoutingTopology.SEEN_IDS_STORE);
        ids.put("msg-old", timestamp, START.toEpochMilli());

        raw.pipeInput(new TestRecord<>("msg-old", body, headers("msg-old", "sender", body), START.plusSeconds(1)));

        assertThat(output(TOPICS.forType(EventType.SPOT_ROLLBACK)).isEmpty()).isTrue();
        assertThat(dropped("event_id")).isEqualTo(1.0);
        assertThat(registry.get("herald.router.id.conflicts").counter().count()).isZero();
    }

    private TestOutputTopic<String, byte[]> output(String topic) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
    }

    private List<TestRecord<String, byte[]>> otherOutputsThan(String topic) {
        List<String> others = new java.util.ArrayList<>(TOPICS.eventTopics());
        others.add(TOPICS.routerDeadLetter());
        others.add(TOPICS.routerRekeyed());
        others.remove(topic);
        return others.stream().flatMap(t -> output(t).readRecordsToList().stream()).toList();
    }

    private double dropped(String matchedBy) {
        return registry.get("herald.router.duplicates.dropped").tag("matched_by", matchedBy).counter().count();
    }

    /** The key the ingest writes the record under. */
    private static String ingestKey(byte[] body, Headers headers) {
        var event = ((ParseOutcome.Parsed) new WebhookParser().parse(body)).event();
        String senderId = "sender".equals(header(headers, EventHeaders.ID_SOURCE)) ? header(headers, EventHeaders.CE_ID) : null;
        return RawRecordKey.of(event.accountIds(), senderId, header(headers, EventHeaders.BODY_SHA256));
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
        return header(record.headers(), name);
    }

    private static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
