package dev.herald.notifier.channel.slack;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.config.NotifierConfig;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.Destination;
import dev.herald.notifier.delivery.SendResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Slack through incoming webhooks: one Block Kit message per delivery, at most {@code messages-per-second} per
 * webhook, only to URLs under {@code HERALD_SLACK_ALLOWED_URL_PREFIXES}. Webhook URLs are secrets: they appear in
 * no log, metric or outcome, and no error message quotes them.
 */
@ApplicationScoped
class SlackChannel implements Channel {

    /** Serializes the SDK's model the way Slack's own client does: snake_case names, nulls left out. */
    static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).disableHtmlEscaping().create();

    private final HttpClient http;
    private final Duration timeout;
    private final List<String> allowedPrefixes;
    private final WebhookRateLimiter rateLimiter;
    private final Optional<String> username;

    SlackChannel(NotifierConfig config) {
        this.timeout = config.slack().timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.allowedPrefixes = config.slack().allowedUrlPrefixes();
        this.rateLimiter = new WebhookRateLimiter(config.slack().messagesPerSecond(), config.slack().burst());
        this.username = config.slack().username().filter(name -> !name.isBlank());
    }

    @Override
    public String name() {
        return Destination.SLACK;
    }

    @Override
    public Optional<String> refusal(String address) {
        return refusal(address, allowedPrefixes);
    }

    static Optional<String> refusal(String address, List<String> allowedPrefixes) {
        if (allowedPrefixes.stream().noneMatch(address::startsWith)) {
            return Optional.of("the Slack webhook URL is outside HERALD_SLACK_ALLOWED_URL_PREFIXES " + allowedPrefixes);
        }
        try {
            URI uri = URI.create(address);
            if (uri.getHost() == null || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
                return Optional.of("the Slack webhook URL is not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            return Optional.of("the Slack webhook URL is not a valid URL");
        }
        return Optional.empty();
    }

    @Override
    public SendResult send(Delivery delivery, UniskaiEvent event) {
        var payload = SlackMessages.of(event, delivery.eventId());
        username.ifPresent(payload::setUsername);
        HttpRequest request = HttpRequest.newBuilder(URI.create(delivery.destination().address()))
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(payload), StandardCharsets.UTF_8))
                .build();
        try {
            rateLimiter.acquire(delivery.destination().address());
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return SlackAnswer.classify(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SendResult.Retry("interrupted", Optional.empty());
        } catch (IOException e) {
            // The exception text of java.net.http can name the URL: report the kind of failure only.
            return new SendResult.Retry("Slack did not answer: " + e.getClass().getSimpleName(), Optional.empty());
        }
    }
}
