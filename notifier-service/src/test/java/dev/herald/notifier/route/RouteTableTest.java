package dev.herald.notifier.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.events.ParseOutcome;
import dev.herald.events.UniskaiEvent;
import dev.herald.events.WebhookParser;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Destination;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static final String WEBHOOK = "https://hooks.slack.com/services/T0/B0/secret";
    private static final Map<String, Channel> CHANNELS = Map.of(
            "email", new StubChannel("email",
                    address -> address.contains("@") ? Optional.empty() : Optional.of("\"" + address + "\" is not an email address"),
                    address -> address),
            "slack", new StubChannel("slack",
                    address -> address.startsWith("https://hooks.slack.com/") ? Optional.empty()
                            : Optional.of("the Slack webhook URL is outside the allowed prefixes"),
                    address -> "https://hooks.slack.com/…"));

    @Test
    void targetsAreTheDistinctDestinationsOfEveryMatchingRouteNamedByTheFirst() {
        RouteTable table = table("""
                routes:
                  - name: spot
                    types: ["spot-*"]
                    email: [spot@example.com]
                  - name: everything-for-one-account
                    types: ["*"]
                    accounts: ["12345678"]
                    email: [owner@example.com]
                  - name: everything
                    types: ["*"]
                    email: [ops@example.com, spot@example.com]
                    slack: ["%s"]
                """.formatted(WEBHOOK));

        assertThat(table.targetsOf(event(EventType.SPOT_ROLLBACK)))
                .extracting(target -> target.route() + " " + target.destination().address())
                .containsExactly("spot spot@example.com", "everything ops@example.com", "everything " + WEBHOOK);
        assertThat(table.targetsOf(event(EventType.TRIAL_PERIOD_ENDED)))
                .extracting(target -> target.route() + " " + target.destination().address())
                .containsExactly("everything-for-one-account owner@example.com", "everything ops@example.com",
                        "everything spot@example.com", "everything " + WEBHOOK);
    }

    @Test
    void aGlobMatchesATypeWithLineBreaksToo() {
        // The ingest takes any type a sender names: a catch-all route must not drop one as unrouted.
        assertThat(Route.globMatches("*", "odd\ntype")).isTrue();
        assertThat(Route.globMatches("spot-*", "spot-x\u2028y")).isTrue();
        assertThat(Route.globMatches("spot-?", "spot-\n")).isTrue();
        assertThat(Route.globMatches("spot-*", "trial\nspot-x")).isFalse();
    }

    @Test
    void anEventNoRouteMatchesHasNoTarget() {
        RouteTable table = table("routes:\n  - name: trials\n    types: [\"trial-*\"]\n    email: [billing@example.com]\n");

        assertThat(table.targetsOf(event(EventType.SPOT_RECREATED))).isEmpty();
    }

    @Test
    void destinationsAreRedactedByTheirChannel() {
        RouteTable table = table("routes:\n  - name: ops\n    types: [\"*\"]\n    slack: [\"" + WEBHOOK + "\"]\n"
                + "    email: [ops@example.com]\n");

        assertThat(table.targetsOf(event(EventType.SPOT_RECREATED))).extracting(Target::destination).containsExactly(
                new Destination("slack", WEBHOOK, "https://hooks.slack.com/…"),
                new Destination("email", "ops@example.com", "ops@example.com"));
        assertThat(table.targetsOf(event(EventType.SPOT_RECREATED)).get(0).toString()).doesNotContain("secret");
    }

    @Test
    void anAddressItsChannelRefusesStopsTheStartUpNamingRouteAndField() {
        assertThatThrownBy(() -> table("routes:\n  - name: ok\n    types: [\"*\"]\n    email: [a@example.com]\n"
                + "  - name: exfiltrate\n    types: [\"*\"]\n    slack: [\"https://attacker.example/secret\"]\n"))
                .isInstanceOf(RoutesFileException.class)
                .hasMessage("route \"exfiltrate\", field \"slack\": the Slack webhook URL is outside the allowed prefixes");
        assertThatThrownBy(() -> table("routes:\n  - name: a\n    types: [\"*\"]\n    email: [not-an-address]\n"))
                .hasMessage("route \"a\", field \"email\": \"not-an-address\" is not an email address");
    }

    @Test
    void aChannelKeyWithNoChannelStopsTheStartUp() {
        List<Route> routes = RoutesFile.parse("routes:\n  - name: a\n    types: [\"*\"]\n    teams: [x]\n", name -> null,
                Set.of("email", "slack", "teams"));

        assertThatThrownBy(() -> new RouteTable(routes, CHANNELS))
                .isInstanceOf(RoutesFileException.class)
                .hasMessage("route \"a\", field \"teams\": no channel of that name; channels: [email, slack]");
    }

    @Test
    void aRetryFindsItsDestinationByChannelAndKeyWhileTheRoutesStillNameIt() {
        RouteTable table = table("routes:\n  - name: ops\n    types: [\"*\"]\n    slack: [\"" + WEBHOOK + "\"]\n");
        Destination slack = new Destination("slack", WEBHOOK, "https://hooks.slack.com/…");

        assertThat(table.destinationByKey("slack", slack.key())).contains(slack);
        assertThat(table.destinationByKey("email", slack.key())).isEmpty();
        assertThat(table.destinationByKey("slack", new Destination("slack", WEBHOOK + "-gone", "").key())).isEmpty();
    }

    @Test
    void foldOfAnswersTheRoutesOwnRule() {
        RouteTable table = table("""
                routes:
                  - name: noisy
                    types: ["*"]
                    email: [ops@example.com]
                    fold: {after: 5, within: 30s}
                  - name: quiet
                    types: ["*"]
                    email: [ops@example.com]
                """);

        assertThat(table.foldOf("noisy")).contains(new FoldRule(5, Duration.ofSeconds(30)));
        assertThat(table.foldOf("quiet")).isEmpty();
        assertThat(table.foldOf("gone")).isEmpty();
    }

    private static RouteTable table(String yaml) {
        return new RouteTable(RoutesFile.parse(yaml, name -> null, CHANNELS.keySet()), CHANNELS);
    }

    private static UniskaiEvent event(EventType type) {
        return ((ParseOutcome.Parsed) new WebhookParser().parse(DocumentedExamples.of(type))).event();
    }
}
