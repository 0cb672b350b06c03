package dev.herald.notifier.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.herald.notifier.Folds;
import dev.herald.notifier.delivery.Destination;
import dev.herald.notifier.delivery.Fold;
import dev.herald.notifier.delivery.Pace;
import dev.herald.notifier.delivery.SendResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SlackChannelTest {

    @Test
    void redactionKeepsSchemeAndHostOnly() {
        SlackChannel slack = new SlackChannel(config(1, 3));

        assertThat(slack.redact("https://hooks.slack.com/services/T0/B0/secret")).isEqualTo("https://hooks.slack.com/…");
        assertThat(slack.redact("not a url at all")).doesNotContain("url");
    }

    @Test
    void paceIsTheConfiguredRateAndBurstPerWebhook() {
        assertThat(new SlackChannel(config(1, 3)).pace()).isEqualTo(new Pace(1, 3));
        assertThat(new SlackChannel(config(0.5, 1)).pace()).isEqualTo(new Pace(0.5, 1));
    }

    @Test
    void aFoldIsPostedAsOneMessage() throws IOException {
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/services/", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        server.start();
        try {
            SendResult result = new SlackChannel(config(1, 3)).sendFold(twoSchedulesTo(server));

            assertThat(result).isInstanceOf(SendResult.Sent.class);
            assertThat(bodies).hasSize(1);
            assertThat(JsonParser.parseString(bodies.get(0)).getAsJsonObject().get("text").getAsString())
                    .isEqualTo("Schedule 'Nightly' stopped 4 resources in 2 accounts");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anEndlessAnswerIsReadOnlyAsFarAsItsFirstBytes() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        server.createContext("/services/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, 0); // chunked, no length: the body goes on until the client stops reading
            byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            try {
                for (int i = 0; i < 64 * 1024; i++) { // up to 4 GiB
                    exchange.getResponseBody().write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException closedByTheClient) {
                // what a bounded reader leads to
            } finally {
                exchange.close();
            }
        });
        server.start();
        try {
            SendResult result = new SlackChannel(config(1, 3)).sendFold(twoSchedulesTo(server));

            assertThat(result).isInstanceOf(SendResult.Retry.class);
            assertThat(((SendResult.Retry) result).reason()).startsWith("Slack answered 500 xxx").hasSizeLessThan(200);
            // The client stopped reading long before the peer ran out: far less than the 4 GiB on offer was sent.
            assertThat(written.get()).isLessThan(256L * 1024 * 1024);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anAnswerWhoseBodyStallsAfterItsHeadersEndsTheAttemptWithinTheTimeout() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/services/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 2); // "ok" announced, never written
            exchange.getResponseBody().flush();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
        try {
            SendResult result = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> new SlackChannel(config(1, 3, Duration.ofMillis(500))).sendFold(twoSchedulesTo(server)))
                    .get(60, java.util.concurrent.TimeUnit.SECONDS); // before the fix: never

            assertThat(result).isInstanceOf(SendResult.Retry.class);
            assertThat(((SendResult.Retry) result).reason()).isEqualTo("Slack did not answer within 500 ms");
        } finally {
            released.countDown();
            server.stop(0);
        }
    }

    /** A fold of two "Nightly" schedule stops, to the server's webhook path. */
    private static Fold twoSchedulesTo(HttpServer server) {
        String webhook = "http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0/B0/x";
        Fold fold = Folds.of(List.of(Folds.stopped("Nightly", "a", 0, 2), Folds.stopped("Nightly", "b", 2, 2)));
        return new Fold(new Destination("slack", webhook, "http://127.0.0.1/…"), fold.type(), fold.items());
    }

    static SlackConfig config(double perSecond, int burst) {
        return config(perSecond, burst, Duration.ofSeconds(5));
    }

    static SlackConfig config(double perSecond, int burst, Duration timeout) {
        return new SlackConfig() {
            @Override
            public List<String> allowedUrlPrefixes() {
                return List.of("https://hooks.slack.com/");
            }

            @Override
            public double messagesPerSecond() {
                return perSecond;
            }

            @Override
            public int burst() {
                return burst;
            }

            @Override
            public Duration timeout() {
                return timeout;
            }

            @Override
            public Optional<String> username() {
                return Optional.empty();
            }
        };
    }
}
