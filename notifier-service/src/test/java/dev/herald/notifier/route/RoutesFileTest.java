package dev.herald.notifier.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.events.ParseOutcome;
import dev.herald.events.UniskaiEvent;
import dev.herald.events.WebhookParser;
import dev.herald.notifier.delivery.Destination;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesFileTest {

    private static final Map<String, String> ENV = Map.of("SLACK_FINOPS_WEBHOOK", "https://hooks.slack.com/services/T/B/x");

    @Test
    void readsTheContractsExampleWithAnEnvironmentVariable() {
        List<Route> routes = RoutesFile.parse("""
                routes:
                  - name: finops
                    types: [spot-recreated, spot-rollback, managed-on-demand-back-to-spot]
                    accounts: ["12345678"]
                    email: [finops@example.com]
                    slack: ["${SLACK_FINOPS_WEBHOOK}"]
                """, ENV::get);

        assertThat(routes).containsExactly(new Route("finops",
                List.of("spot-recreated", "spot-rollback", "managed-on-demand-back-to-spot"), List.of("12345678"),
                List.of("finops@example.com"), List.of("https://hooks.slack.com/services/T/B/x")));
    }

    @Test
    void globsMatchTypesAndAccountsFilterEvents() {
        RouteTable table = new RouteTable(RoutesFile.parse("""
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
                """, ENV::get));

        assertThat(table.destinationsOf(event(EventType.SPOT_ROLLBACK))).extracting(Destination::address)
                .containsExactly("spot@example.com", "ops@example.com");
        assertThat(table.destinationsOf(event(EventType.TRIAL_PERIOD_ENDED))).extracting(Destination::address)
                .containsExactly("owner@example.com", "ops@example.com", "spot@example.com");
        assertThat(table.destinationsOf(event(EventType.CLOUDSITTER_START_STOP))).extracting(Destination::address)
                .containsExactly("ops@example.com", "spot@example.com");
    }

    @Test
    void anEventNoRouteMatchesHasNoDestination() {
        RouteTable table = new RouteTable(RoutesFile.parse("""
                routes:
                  - name: trials
                    types: ["trial-*"]
                    email: [billing@example.com]
                """, ENV::get));

        assertThat(table.destinationsOf(event(EventType.SPOT_RECREATED))).isEmpty();
    }

    @Test
    void errorsNameTheRouteAndTheField() {
        assertError("routes:\n  - name: a\n    email: [x@example.com]\n", "route \"a\", field \"types\"");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    email: [not-an-address]\n", "route \"a\", field \"email\"");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    slack: [\"${MISSING}\"]\n",
                "route \"a\", field \"slack\": environment variable MISSING is not set");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    emails: [x@example.com]\n", "route \"a\", field \"emails\"");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n", "route \"a\": give at least one");
        assertError("routes:\n  - types: [\"*\"]\n    email: [x@example.com]\n", "routes[0], field \"name\"");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    email: [x@example.com]\n  - name: a\n    types: [\"*\"]\n"
                + "    email: [y@example.com]\n", "route \"a\": the name is used twice");
        assertError("routes: {}\n", "top-level list \"routes\"");
        assertError("routes: [\n", "not valid YAML");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> RoutesFile.parse(yaml, ENV::get))
                .isInstanceOf(RoutesFileException.class)
                .hasMessageContaining(expected);
    }

    private static UniskaiEvent event(EventType type) {
        return ((ParseOutcome.Parsed) new WebhookParser().parse(DocumentedExamples.of(type))).event();
    }
}
