package dev.herald.notifier.channel.slack;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.slack.api.webhook.Payload;
import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.Fold;
import dev.herald.notifier.delivery.Pace;
import dev.herald.notifier.delivery.SendResult;
import dev.herald.notifier.render.FoldSummary;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Slack through incoming webhooks ({@code slack:} in the routes file): one Block Kit message per delivery or fold,
 * only to URLs under {@code HERALD_SLACK_ALLOWED_URL_PREFIXES}. Webhook URLs are secrets: they appear in no log,
 * metric or record, and no error message quotes them.
 */
@ApplicationScoped
class SlackChannel implements Channel {

    static final String NAME = "slack";

    /** Serializes the SDK's model the way Slack's own client does: snake_case names, nulls left out. */
    static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).disableHtmlEscaping().create();

    private final HttpClient http;
    private final Duration timeout;
    private final List<String> allowedPrefixes;
    private final Pace pace;
    private final Optional<String> username;

    SlackChannel(SlackConfig config) {
        this.timeout = config.timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.allowedPrefixes = config.allowedUrlPrefixes();
        try {
            this.pace = new Pace(config.messagesPerSecond(), config.burst());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("herald.slack.messages-per-second and herald.slack.burst: " + e.getMessage(), e);
        }
        this.username = config.username().filter(name -> !name.isBlank());
    }

    @Override
    public String name() {
        return NAME;
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

    /** The webhook's path is its secret: only scheme and host are shown. */
    @Override
    public String redact(String address) {
        try {
            URI uri = URI.create(address);
            return uri.getScheme() + "://" + uri.getHost() + "/…";
        } catch (IllegalArgumentException e) {
            return "slack-webhook/…";
        }
    }

    @Override
    public Pace pace() {
        return pace;
    }

    @Override
    public SendResult send(Delivery delivery, UniskaiEvent event) {
        return post(delivery.destination().address(), SlackMessages.of(event, delivery.eventId()));
    }

    @Override
    public SendResult sendFold(Fold fold) {
        return post(fold.destination().address(), SlackMessages.ofFold(FoldSummary.of(fold)));
    }

    private SendResult post(String webhook, Payload payload) {
        username.ifPresent(payload::setUsername);
        HttpRequest request = HttpRequest.newBuilder(URI.create(webhook))
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(GSON.toJson(payload), StandardCharsets.UTF_8))
                .build();
        // The whole exchange, the answer's body included, within the timeout: HttpRequest.timeout bounds only the
        // wait for the answer's headers, and a body that stalls after them would hold this sender, and with it the
        // webhook's lane and its partition's commit, for good.
        CompletableFuture<HttpResponse<String>> exchange =
                http.sendAsync(request, answer -> new FirstBytes(SlackAnswer.MAX_BODY_BYTES));
        try {
            HttpResponse<String> response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return SlackAnswer.classify(response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return SendResult.retry("Slack did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return SendResult.retry("interrupted");
        } catch (ExecutionException e) {
            // The exception text of java.net.http can name the URL: report the kind of failure only.
            return SendResult.retry("Slack did not answer: " + e.getCause().getClass().getSimpleName());
        }
    }
}
