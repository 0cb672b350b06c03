package dev.herald.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventIdTest {

    @Test
    void webhookIdWinsOverIdempotencyKey() {
        assertThat(EventId.fromHeaders("msg_1", "key-1")).contains(new EventId("msg_1", "sender"));
        assertThat(EventId.fromHeaders(null, "key-1")).contains(new EventId("key-1", "sender"));
        assertThat(EventId.fromHeaders(" ", null)).isEmpty();
    }

    @Test
    void refusesIdsThatCannotBeAKafkaKeyOrAHeader() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventId.fromHeaders("a b", null));
        assertThatIllegalArgumentException().isThrownBy(() -> EventId.fromHeaders("x".repeat(201), null));
        assertThatIllegalArgumentException().isThrownBy(() -> EventId.fromHeaders("é", null));
    }

    @Test
    void generatedIdsAreVersion7AndOrderedByTime() {
        UUID earlier = EventId.uuidV7(1_700_000_000_000L);
        UUID later = EventId.uuidV7(1_700_000_000_001L);

        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
        assertThat(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits())).isNegative();
        assertThat(EventId.generated().source()).isEqualTo("generated");
    }
}
