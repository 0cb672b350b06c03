package dev.herald.notifier.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.notifier.route.RouteTable;
import dev.herald.notifier.route.RoutesFile;
import dev.herald.notifier.route.RoutesFileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Herald sends to Slack webhooks under HERALD_SLACK_ALLOWED_URL_PREFIXES only; a route outside them stops the start. */
class SlackAllowedUrlsTest {

    private static final List<String> ALLOWED = List.of("https://hooks.slack.com/");

    @Test
    void webhooksUnderAnAllowedPrefixAreAccepted() {
        assertThat(SlackChannel.refusal("https://hooks.slack.com/services/T0/B0/xyz", ALLOWED)).isEmpty();
    }

    @Test
    void webhooksElsewhereAreRefusedWithoutQuotingTheUrl() {
        Optional<String> refusal = SlackChannel.refusal("https://attacker.example/services/T0/B0/secret", ALLOWED);

        assertThat(refusal).get().asString().contains("HERALD_SLACK_ALLOWED_URL_PREFIXES").doesNotContain("secret");
        assertThat(SlackChannel.refusal("https://hooks.slack.com.attacker.example/x", List.of("https://hooks.slack.com/")))
                .isNotEmpty();
    }

    @Test
    void aRouteOutsideTheAllowedPrefixesStopsTheStartUpNamingRouteAndField() {
        SlackChannel slack = new SlackChannel(SlackChannelTest.config(1, 3));
        var routes = RoutesFile.parse("""
                routes:
                  - name: exfiltrate
                    types: ["*"]
                    slack: ["https://attacker.example/hook"]
                """, name -> null, Set.of("slack"));

        assertThatThrownBy(() -> new RouteTable(routes, Map.of("slack", slack)))
                .isInstanceOf(RoutesFileException.class)
                .hasMessageContaining("route \"exfiltrate\", field \"slack\"")
                .hasMessageNotContaining("attacker.example");
    }
}
