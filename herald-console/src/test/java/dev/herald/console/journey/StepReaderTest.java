package dev.herald.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.console.journey.Step.Kind;
import dev.herald.events.DeliveryHeaders;
import dev.herald.events.EventHeaders;
import dev.herald.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The notifier's records, read through {@link DeliveryHeaders} as the notifier writes them. */
class StepReaderTest {

    private static final Topics TOPICS = Topics.withDefaultPrefix();
    private static final Instant T0 = Instant.parse("2026-11-28T08:00:00Z");
    private static final byte[] BODY = "{\"type\":\"spot-recreated\",\"account_id\":\"1\"}".getBytes(StandardCharsets.UTF_8);
    private static final DeliveryHeaders FIRST = new DeliveryHeaders("e1/slack/k", "e1", "spot-recreated", "finops",
            "slack", "k", "https://hooks.slack.com/…", 1, null, T0, null, null);

    private final StepReader reader = new StepReader(TOPICS, 1000, new ObjectMapper());

    @Test
    void theConsoleFollowsTheDeliveriesTopicAndNoRetryTopic() {
        assertThat(reader.followed()).contains(TOPICS.deliveries(), TOPICS.notifierDeadLetter(), TOPICS.outcomes())
                .doesNotContain("uniskai.notifier.retry");
    }

    @Test
    void aFirstAttemptOnTheDeliveriesTopicIsQueuedForItsRoute() {
        Step step = read(TOPICS.deliveries(), FIRST.toMap()).orElseThrow();

        assertThat(step.kind()).isEqualTo(Kind.QUEUED);
        assertThat(step).extracting(Step::eventId, Step::deliveryId, Step::route, Step::channel, Step::destination, Step::attempt)
                .containsExactly("e1", "e1/slack/k", "finops", "slack", "https://hooks.slack.com/…", 1);
        assertThat(step.notBefore()).isNull();
    }

    @Test
    void aLaterAttemptIsARetryWithItsErrorAndNotBefore() {
        Step step = read(TOPICS.deliveries(), FIRST.nextAttempt(T0.plusSeconds(30), "Slack answered 500").toMap())
                .orElseThrow();

        assertThat(step.kind()).isEqualTo(Kind.RETRY_SCHEDULED);
        assertThat(step.attempt()).isEqualTo(2);
        assertThat(step.reason()).isEqualTo("Slack answered 500");
        assertThat(step.notBefore()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void aDeadDeliveryKeepsItsHeadersAndTheBodyByteForByteForAReplay() {
        DeliveryHeaders dead = FIRST.nextAttempt(T0.plusSeconds(30), "Slack answered 500").withError("gave up");
        Step step = read(TOPICS.notifierDeadLetter(), dead.toMap()).orElseThrow();

        assertThat(step.kind()).isEqualTo(Kind.DELIVERY_DEAD_LETTER);
        assertThat(step.reason()).isEqualTo("gave up");
        assertThat(step.route()).isEqualTo("finops");
        assertThat(step.stored().headers()).isEqualTo(dead);
        assertThat(step.stored().body()).isEqualTo(BODY);
    }

    @Test
    void aRecordTheNotifierCouldNotReadIsADeadLetterOfItsEventWithoutADelivery() {
        Step step = read(TOPICS.notifierDeadLetter(), Map.of(EventHeaders.CE_ID, "e1", EventHeaders.CE_TYPE,
                "spot-recreated", DeliveryHeaders.ERROR, "no route file entry")).orElseThrow();

        assertThat(step.kind()).isEqualTo(Kind.DELIVERY_DEAD_LETTER);
        assertThat(step).extracting(Step::eventId, Step::type, Step::reason)
                .containsExactly("e1", "spot-recreated", "no route file entry");
        assertThat(step.deliveryId()).isNull();
        assertThat(step.stored()).isNull();
    }

    @Test
    void anOutcomeNamesItsRoute() {
        byte[] outcome = """
                {"eventId":"e1","deliveryId":"e1/slack/k","type":"spot-recreated","route":"finops","channel":"slack",\
                "destination":"https://hooks.slack.com/…","attempt":1,"outcome":"sent","error":null,\
                "at":"2026-11-28T08:00:01Z"}""".getBytes(StandardCharsets.UTF_8);
        Step step = reader.read(record(TOPICS.outcomes(), Map.of(), outcome)).orElseThrow();

        assertThat(step.kind()).isEqualTo(Kind.ATTEMPT);
        assertThat(step.route()).isEqualTo("finops");
        assertThat(step.outcome()).isEqualTo("sent");
    }

    private Optional<Step> read(String topic, Map<String, String> headers) {
        return reader.read(record(topic, headers, BODY));
    }

    private static ConsumerRecord<String, byte[]> record(String topic, Map<String, String> headers, byte[] value) {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        headers.forEach((name, text) -> kafkaHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
        return new ConsumerRecord<>(topic, 0, 7, T0.toEpochMilli(), TimestampType.CREATE_TIME, -1, -1, "k", value,
                kafkaHeaders, Optional.empty());
    }
}
