package dev.herald.console.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.LaunchMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTokensTest {

    private final ConsoleTokens tokens = new ConsoleTokens(List.of("first-token", " second-token "), Duration.ofHours(8),
            LaunchMode.TEST);

    @Test
    void acceptsEveryConfiguredTokenAndNothingElse() {
        assertThat(tokens.accepts("first-token")).isTrue();
        assertThat(tokens.accepts("second-token")).isTrue();
        assertThat(tokens.accepts("first-toke")).isFalse();
        assertThat(tokens.accepts("")).isFalse();
        assertThat(tokens.accepts(null)).isFalse();
    }

    @Test
    void aSessionHoldsUntilItExpiresAndRevealsNoToken() {
        Instant now = Instant.parse("2026-11-28T08:00:00Z");
        String session = tokens.session("second-token", now);
        assertThat(session).doesNotContain("second-token");
        assertThat(tokens.acceptsSession(session, now.plus(Duration.ofHours(7)))).isTrue();
        assertThat(tokens.acceptsSession(session, now.plus(Duration.ofHours(9)))).isFalse();
    }

    @Test
    void aSessionEndsWhenItsTokenIsRemoved() {
        Instant now = Instant.now();
        String session = tokens.session("first-token", now);
        ConsoleTokens rotated = new ConsoleTokens(List.of("second-token"), Duration.ofHours(8), LaunchMode.TEST);
        assertThat(rotated.acceptsSession(session, now)).isFalse();
    }

    @Test
    void aForgedOrExtendedSessionIsRefused() {
        Instant now = Instant.now();
        String session = tokens.session("first-token", now);
        String signature = session.substring(session.indexOf('.') + 1);
        assertThat(tokens.acceptsSession((now.getEpochSecond() + 999_999) + "." + signature, now)).isFalse();
        assertThat(tokens.acceptsSession("not-a-session", now)).isFalse();
        assertThat(tokens.acceptsSession(null, now)).isFalse();
    }

    @Test
    void refusesToStartInProductionWithoutAToken() {
        assertThatThrownBy(() -> new ConsoleTokens(List.of(" "), Duration.ofHours(8), LaunchMode.NORMAL))
                .hasMessageContaining("HERALD_CONSOLE_TOKENS");
        assertThat(new ConsoleTokens(List.of(), Duration.ofHours(8), LaunchMode.DEVELOPMENT).accepts("")).isFalse();
    }

    @Test
    void aMetricsTokenOpensNoSessionAndMayNotAlsoBeAConsoleToken() {
        ConsoleTokens tokens = new ConsoleTokens(List.of("operator-token"), List.of("scrape-token"), Duration.ofHours(8),
                io.quarkus.runtime.LaunchMode.NORMAL);
        org.assertj.core.api.Assertions.assertThat(tokens.acceptsForMetrics("scrape-token")).isTrue();
        org.assertj.core.api.Assertions.assertThat(tokens.accepts("scrape-token")).isFalse();
        org.assertj.core.api.Assertions.assertThat(tokens.acceptsForMetrics("operator-token")).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConsoleTokens(List.of("operator-token", "scrape-token"),
                List.of("scrape-token"), Duration.ofHours(8), io.quarkus.runtime.LaunchMode.NORMAL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HERALD_CONSOLE_METRICS_TOKENS")
                .hasMessageNotContaining("scrape-token");
    }
}
