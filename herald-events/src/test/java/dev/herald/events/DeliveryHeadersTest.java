package dev.herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryHeadersTest {

    @Test
    void headersAreReadBackAsWrittenAndAMalformedTimeIsRefused() {
        DeliveryHeaders written = new DeliveryHeaders("e1/email/k", "e1", "spot-rollback", "ops", "email", "k",
                "ops@example.com", 2, Instant.parse("2026-11-29T03:04:05.123456Z"),
                Instant.parse("2026-11-29T03:04:00Z"), null, "timed out");
        Map<String, String> headers = written.toMap();
        assertThat(DeliveryHeaders.from(headers::get)).contains(written);

        Map<String, String> padded = new java.util.HashMap<>(headers);
        padded.put(EventHeaders.CE_TIME, " 2026-11-29T03:04:00Z ");
        assertThat(DeliveryHeaders.from(padded::get)).contains(written);

        Map<String, String> malformed = new java.util.HashMap<>(headers);
        malformed.put(DeliveryHeaders.NOT_BEFORE, "2026-02-30T00:00:00Z");
        assertThat(DeliveryHeaders.from(malformed::get)).isEmpty();
    }
}
