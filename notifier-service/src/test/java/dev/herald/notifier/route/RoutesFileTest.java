package dev.herald.notifier.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoutesFileTest {

    private static final Map<String, String> ENV = Map.of("SLACK_FINOPS_WEBHOOK", "https://hooks.slack.com/services/T/B/x");
    private static final Set<String> CHANNELS = Set.of("email", "slack");

    @Test
    void readsTheContractsExampleWithAnEnvironmentVariable() {
        List<Route> routes = parse("""
                routes:
                  - name: finops
                    types: [spot-recreated, spot-rollback, managed-on-demand-back-to-spot]
                    accounts: ["12345678"]
                    email: [finops@example.com]
                    slack: ["${SLACK_FINOPS_WEBHOOK}"]
                """);

        Map<String, List<String>> destinations = new LinkedHashMap<>();
        destinations.put("email", List.of("finops@example.com"));
        destinations.put("slack", List.of("https://hooks.slack.com/services/T/B/x"));
        assertThat(routes).containsExactly(new Route("finops",
                List.of("spot-recreated", "spot-rollback", "managed-on-demand-back-to-spot"), List.of("12345678"),
                destinations, Optional.empty()));
    }

    @Test
    void channelsKeepTheirFileOrder() {
        Route route = parse("""
                routes:
                  - name: ops
                    types: ["*"]
                    slack: ["${SLACK_FINOPS_WEBHOOK}"]
                    email: [b@example.com, a@example.com]
                """).get(0);

        assertThat(route.destinations().keySet()).containsExactly("slack", "email");
        assertThat(route.destinations().get("email")).containsExactly("b@example.com", "a@example.com");
        assertThatThrownBy(() -> route.destinations().put("teams", List.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void everyChannelNameIsAFieldOfItsOwn() {
        List<Route> routes = RoutesFile.parse("""
                routes:
                  - name: incidents
                    types: ["*"]
                    pagerduty: ["routing-key-1"]
                """, ENV::get, Set.of("email", "slack", "pagerduty"));

        assertThat(routes.get(0).destinations()).containsExactly(Map.entry("pagerduty", List.of("routing-key-1")));
    }

    @Test
    void addressSyntaxIsLeftToTheChannels() {
        Route route = parse("routes:\n  - name: a\n    types: [\"*\"]\n    email: [not-an-address]\n").get(0);

        assertThat(route.destinations().get("email")).containsExactly("not-an-address");
    }

    @ParameterizedTest
    @CsvSource({"500ms,PT0.5S", "30s,PT30S", "2m,PT2M", "1h,PT1H", "PT30S,PT30S", "PT1M30S,PT1M30S"})
    void foldReadsEveryDurationForm(String within, String expected) {
        Route route = parse("routes:\n  - name: ops\n    types: [\"*\"]\n    email: [ops@example.com]\n"
                + "    fold: {after: 5, within: " + within + "}\n").get(0);

        assertThat(route.fold()).contains(new FoldRule(5, Duration.parse(expected)));
    }

    @Test
    void foldErrorsNameTheRouteAndTheField() {
        assertFoldError("{after: 5, within: 2h}", "route \"ops\", field \"fold.within\": at most 1h");
        assertFoldError("{after: 5, within: PT1H1S}", "route \"ops\", field \"fold.within\": at most 1h");
        assertFoldError("{after: 5, within: 0s}", "route \"ops\", field \"fold.within\": must be more than 0");
        assertFoldError("{after: 5, within: 30 seconds}", "route \"ops\", field \"fold.within\": \"30 seconds\" is not a duration");
        assertFoldError("{after: 5, within: 30}", "route \"ops\", field \"fold.within\": \"30\" has no unit");
        assertFoldError("{after: 5}", "route \"ops\", field \"fold.within\": required");
        assertFoldError("{after: 0, within: 30s}", "route \"ops\", field \"fold.after\": required, a whole number of at least 1");
        assertFoldError("{after: \"5\", within: 30s}", "route \"ops\", field \"fold.after\"");
        assertFoldError("{within: 30s}", "route \"ops\", field \"fold.after\"");
        assertFoldError("{after: 5, within: 30s, per: account}", "route \"ops\", field \"fold.per\": unknown field");
        assertFoldError("5", "route \"ops\", field \"fold\": must be a mapping");
    }

    @Test
    void errorsNameTheRouteAndTheField() {
        assertError("routes:\n  - name: a\n    email: [x@example.com]\n", "route \"a\", field \"types\"");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    slack: [\"${MISSING}\"]\n",
                "route \"a\", field \"slack\": environment variable MISSING is not set");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    emails: [x@example.com]\n",
                "route \"a\", field \"emails\": unknown field; expected one of [name, types, accounts, fold, email, slack]");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    teams: [x]\n", "route \"a\", field \"teams\": unknown field");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n", "route \"a\": give at least one address under one of [email, slack]");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    email: []\n", "route \"a\": give at least one address");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    email: x@example.com\n", "route \"a\", field \"email\": must be a list");
        assertError("routes:\n  - types: [\"*\"]\n    email: [x@example.com]\n", "routes[0], field \"name\"");
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    email: [x@example.com]\n  - name: a\n    types: [\"*\"]\n"
                + "    email: [y@example.com]\n", "route \"a\": the name is used twice");
        assertError("routes: {}\n", "top-level list \"routes\"");
        assertError("routes: [\n", "not valid YAML");
    }

    private static List<Route> parse(String yaml) {
        return RoutesFile.parse(yaml, ENV::get, CHANNELS);
    }

    private static void assertFoldError(String fold, String expected) {
        assertError("routes:\n  - name: ops\n    types: [\"*\"]\n    email: [ops@example.com]\n    fold: " + fold + "\n", expected);
    }

    @Test
    void aKeyGivenTwiceIsAnError() {
        // Read leniently, the second email: would replace the first, and a@example.com would get nothing.
        assertError("routes:\n  - name: a\n    types: [\"*\"]\n    email: [a@example.com]\n    email: [b@example.com]\n",
                "Duplicate field 'email'");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(RoutesFileException.class)
                .hasMessageContaining(expected);
    }
}
