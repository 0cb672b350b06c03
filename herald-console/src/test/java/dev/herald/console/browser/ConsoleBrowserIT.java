package dev.herald.console.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.console.it.HeraldRecords;
import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * An operator in a real browser: signs in, finds an event by id, follows its journey to a dead letter, replays it
 * once the Slack webhook is back, and sees it sent, through the real notifier. Saves the README's screenshots.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleBrowserIT {

    private static final Path SCREENSHOTS = Path.of("docs");

    @TestHTTPResource("/")
    URL console;

    KafkaBroker broker;

    @Test
    void operatorFindsADeadLetterAndReplaysItAfterSlackRecovers() throws Exception {
        String eventId = UUID.randomUUID().toString();
        byte[] example = DocumentedExamples.of(EventType.CLOUDSITTER_POLICY_FAILED);
        String body = new String(example, StandardCharsets.UTF_8);
        Path routes = Files.createTempFile("herald-console-routes", ".yaml");
        try (SlackStandIn slack = new SlackStandIn()) {
            Files.writeString(routes, """
                    routes:
                      - name: ops
                        types: ["cloudsitter-policy-failed"]
                        slack: ["%s"]
                    """.formatted(slack.webhook()));
            try (PackagedNotifier notifier = new PackagedNotifier(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "HERALD_ROUTES", routes.toString(),
                    "HERALD_SLACK_ALLOWED_URL_PREFIXES", slack.urlPrefix(),
                    "HERALD_NOTIFIER_TYPES", "cloudsitter-policy-failed",
                    "HERALD_NOTIFIER_MAX_ATTEMPTS", "1"));
                    HeraldRecords records = new HeraldRecords(broker.bootstrapServers())) {
                notifier.awaitReady(Duration.ofMinutes(2));
                records.accepted(eventId, "cloudsitter-policy-failed", "console-browser", body);
                records.routed(eventId, "cloudsitter-policy-failed", "console-browser", body);

                ChromeDriver browser = HeadlessChromium.start();
                try {
                    browser.get(console + "events");
                    await("the sign-in form").atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("token")).isEmpty());
                    browser.findElement(By.id("token")).sendKeys("test-console-token");
                    browser.findElement(By.id("sign-in")).click();
                    assertThat(browser.findElement(By.id("lag")).getText())
                            .contains("herald-notifier-cloudsitter-policy-failed").contains("herald-notifier-deliveries");

                    await("the event dead-lettered, since Slack answers 500").atMost(Duration.ofMinutes(1))
                            .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                                browser.get(console + "events");
                                browser.findElement(By.name("id")).sendKeys(eventId);
                                browser.findElement(By.cssSelector("#search button")).click();
                                browser.findElement(By.linkText(eventId)).click();
                                assertThat(browser.findElement(By.id("where-now")).getText()).contains("1 dead");
                            });
                    assertThat(browser.findElement(By.id("body")).getText()).contains("cloudsitter-policy-failed");

                    browser.get(console + "dead-letters");
                    WebElement row = browser.findElement(By.xpath("//table[@id='dead-letters']//tr[td/a[text()='" + eventId + "']]"));
                    assertThat(row.getText()).contains("cloudsitter-policy-failed").contains("500");
                    screenshot(browser, "dead-letters.png");

                    slack.recover();
                    row.findElement(By.name("delivery")).click();
                    browser.findElement(By.id("replay-selected")).click();
                    // The click returns once the form is sent, not always once the answer's page is there (seen in CI).
                    await("the replay's answer").atMost(Duration.ofSeconds(30))
                            .until(() -> !browser.findElements(By.id("replayed")).isEmpty());
                    assertThat(browser.findElement(By.id("replayed")).getText()).contains("Replayed 1");

                    await("the replayed delivery sent").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                            .untilAsserted(() -> {
                                browser.get(console + "events/" + eventId);
                                assertThat(browser.findElement(By.id("where-now")).getText()).isEqualTo("Now: 1 sent");
                            });
                    assertThat(browser.findElement(By.tagName("main")).getText()).contains("replayed").contains("sent");
                    assertThat(slack.accepted()).hasSize(1);
                    screenshot(browser, "journey.png");
                } finally {
                    browser.quit();
                }
            }
        } finally {
            Files.deleteIfExists(routes);
        }
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
