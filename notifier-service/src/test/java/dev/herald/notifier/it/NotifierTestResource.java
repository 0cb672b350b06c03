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
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.herald.notifier.delivery.Destination;
import org.apache.kafka.common.utils.Utils;

/**
 * Starts the notifier's peers once per test run and writes a routes file that points at them:
 * every event goes to {@code ops@example.com} and to the Slack webhook {@code /hooks/ops}; events of the accounts
 * {@code acct-429}, {@code acct-500} and {@code acct-404} also go to webhooks that answer 429 once, 500 three
 * times, and 404 {@code no_service} for good; {@code acct-3600} to two webhooks owned by one pod, one of which asks
 * for an hour's wait; {@code acct-fold} to a route that folds more than 3 events within 2 s.
 */
public class NotifierTestResource implements QuarkusTestResourceLifecycleManager {

    private static TestSinks sinks;

    /**
     * Two webhook paths whose destinations fall on the same deliveries partition (of the test broker's three), so one
     * pod owns both: one answers {@code Retry-After: 3600}, the other must not wait for it.
     */
    static List<String> SHARED_PARTITION_PATHS;

    static synchronized TestSinks sinks() {
        if (sinks == null) {
            sinks = new TestSinks();
            SHARED_PARTITION_PATHS = sharedPartitionPaths(sinks);
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
                  - name: one-owner
                    types: ["*"]
                    accounts: [acct-3600]
                    slack: ["%1$s%2$s", "%1$s%3$s"]
                  - name: folded
                    types: ["*"]
                    accounts: [acct-fold]
                    slack: ["%1$s/hooks/folded"]
                    email: [folded@example.com]
                    fold: {after: 3, within: 2s}
                """.formatted("http://127.0.0.1:" + peers.slack.port(), SHARED_PARTITION_PATHS.get(0),
                SHARED_PARTITION_PATHS.get(1));
        try {
            Path file = Files.createTempFile("herald-routes", ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> sharedPartitionPaths(TestSinks peers) {
        Map<Integer, String> byPartition = new HashMap<>();
        for (int i = 0; ; i++) {
            String path = "/hooks/shared-" + i;
            String key = new Destination("slack", peers.slackUrl(path), "").key();
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 3;
            String other = byPartition.putIfAbsent(partition, path);
            if (other != null) {
                return List.of(other, path);
            }
        }
    }

    private static void stubSlack(TestSinks peers) {
        var slack = peers.slack;
        slack.stubFor(post(urlEqualTo("/hooks/ops")).willReturn(aResponse().withStatus(200).withBody("ok")));
        slack.stubFor(post(urlEqualTo("/hooks/folded")).willReturn(aResponse().withStatus(200).withBody("ok")));
        slack.stubFor(post(urlEqualTo(SHARED_PARTITION_PATHS.get(0))).inScenario("3600").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600").withBody("rate_limited"))
                .willSetStateTo("asked-for-an-hour"));
        slack.stubFor(post(urlEqualTo(SHARED_PARTITION_PATHS.get(0))).inScenario("3600").whenScenarioStateIs("asked-for-an-hour")
                .willReturn(aResponse().withStatus(200).withBody("ok")));
        slack.stubFor(post(urlEqualTo(SHARED_PARTITION_PATHS.get(1))).willReturn(aResponse().withStatus(200).withBody("ok")));
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
