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
    void aTopicItDoesNotNameIsTreatedAsCarryingABody() {
        assertThat(limits.topicConfig("uniskai.webhooks.raw"))
                .containsEntry("max.message.bytes", String.valueOf(RecordSizeLimits.EVENT_RECORD_BYTES));
        assertThat(limits.maxMessageBytes("uniskai.router.rekeyed")).isEqualTo(RecordSizeLimits.EVENT_RECORD_BYTES);
    }
}
