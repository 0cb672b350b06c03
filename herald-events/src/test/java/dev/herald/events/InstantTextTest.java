package dev.herald.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void theWrittenFormIsReadBackToTheSameInstantWhateverItsFraction() {
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(InstantText.parseWritten(instant.toString())).isEqualTo(instant);
        }
        assertThat(InstantText.parseWritten("2024-02-29T23:59:59.5Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.5Z"));
    }

    @Test
    void anythingElseIsLeftToTheGeneralParser() {
        for (String text : new String[] {"2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-29T24:00:00Z",
                "2026-11-29T23:59:60Z", "2026-11-29T03:04:05.Z", "2026-11-29T03:04:05.1234567890Z",
                "2026-11-29T03:04:05+01:00", " 2026-11-29T03:04:05Z", "2026-11-29T03:04:05z", "+12026-11-29T03:04:05Z",
                "2026-11-29T03:04:0xZ", "2026-11-29 03:04:05Z"}) {
            assertThat(InstantText.parseWritten(text)).as(text).isNull();
        }
    }
}
