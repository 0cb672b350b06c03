package dev.herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecordSizeLimitsTest {

    private final Topics topics = Topics.withDefaultPrefix();
    private final RecordSizeLimits limits = new RecordSizeLimits(topics);

    @Test
    void everyTopicThatCarriesABodyAsReceivedHasRoomForTheLargestBodyAndItsKeyHeadersAndFraming() {
        for (String topic : topics.all()) {
            assertThat(limits.maxMessageBytes(topic)).as(topic)
                    .isGreaterThanOrEqualTo(RecordSizeLimits.MAX_BODY_BYTES + 512 * 1024);
        }
    }

    @Test
    void theNotifiersRetryAndDeadLetterTopicsHaveRoomForTheBodyEscapedSixTimesOver() {
        for (String topic : new String[] {topics.deliveryRetries(), topics.notifierDeadLetter()}) {
            assertThat(limits.maxMessageBytes(topic)).as(topic).isGreaterThan(6 * RecordSizeLimits.MAX_BODY_BYTES);
            assertThat(limits.topicConfig(topic))
                    .containsEntry("max.message.bytes", String.valueOf(RecordSizeLimits.DELIVERY_RECORD_BYTES));
        }
    }

    @Test
    void aTopicItDoesNotNameIsTreatedAsCarryingABody() {
        assertThat(limits.topicConfig("uniskai.webhooks.raw"))
                .containsEntry("max.message.bytes", String.valueOf(RecordSizeLimits.EVENT_RECORD_BYTES));
        assertThat(limits.maxMessageBytes("uniskai.router.rekeyed")).isEqualTo(RecordSizeLimits.EVENT_RECORD_BYTES);
    }
}
