package dev.herald.notifier.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the notifier's peers once per test run and writes a routes file that points at them:
 * every event goes to {@code ops@example.com} and to the Slack webhook {@code /hooks/ops}; events of the accounts
 * {@code acct-429}, {@code acct-500} and {@code acct-404} also go to webhooks that answer 429 once, 500 three
 * times, and 404 {@code no_service} for good.
 */
public class NotifierTestResource implements QuarkusTestResourceLifecycleManager {

    private static TestSinks sinks;

    static synchronized TestSinks sinks() {
        if (sinks == null) {
            sinks = new TestSinks();
            stubSlack(sinks);
            Runtime.getRuntime().addShutdownHook(new Thread(sinks::stop));
        }
        return sinks;
    }

    @Override
    public Map<String, String> start() {
        TestSinks peers = sinks();
        return Map.of(
                "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(peers.smtpPort()),
                "herald.routes", routesFile(peers).toString(),
                "herald.slack.allowed-url-prefixes", peers.slackUrl("/hooks/"));
    }

    static Path routesFile(TestSinks peers) {
        String yaml = """
                routes:
                  - name: everything-by-email
                    types: ["*"]
                    email: [ops@example.com]
                  - name: ops-slack
                    types: ["*"]
                    slack: ["%1$s/hooks/ops"]
                  - name: rate-limited
                    types: ["*"]
                    accounts: [acct-429]
                    slack: ["%1$s/hooks/rate-limited"]
                  - name: flaky
                    types: ["*"]
                    accounts: [acct-500]
                    slack: ["%1$s/hooks/flaky"]
                  - name: gone
                    types: ["*"]
                    accounts: [acct-404]
                    slack: ["%1$s/hooks/gone"]
                """.formatted("http://127.0.0.1:" + peers.slack.port());
        try {
            Path file = Files.createTempFile("herald-routes", ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stubSlack(TestSinks peers) {
        var slack = peers.slack;
        slack.stubFor(post(urlEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(200).withBody("ok")));
        slack.stubFor(post(urlEqualTo("/hooks/gone")).willReturn(aResponse().withStatus(404).withBody("no_service")));
        slack.stubFor(post(urlEqualTo("/hooks/rate-limited")).inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2").withBody("rate_limited"))
                .willSetStateTo("waited"));
        slack.stubFor(post(urlEqualTo("/hooks/rate-limited")).inScenario("429").whenScenarioStateIs("waited")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        String[] states = {Scenario.STARTED, "failed-1", "failed-2", "failed-3"};
        for (int i = 0; i < 3; i++) {
            slack.stubFor(post(urlEqualTo("/hooks/flaky")).inScenario("500").whenScenarioStateIs(states[i])
                    .willReturn(aResponse().withStatus(500).withBody("internal_error")).willSetStateTo(states[i + 1]));
        }
        slack.stubFor(post(urlEqualTo("/hooks/flaky")).inScenario("500").whenScenarioStateIs("failed-3")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(sinks(), new TestInjector.MatchesType(TestSinks.class));
    }

    @Override
    public void stop() {
        // The peers outlive each Quarkus application of the test run; a shutdown hook stops them.
    }
}
