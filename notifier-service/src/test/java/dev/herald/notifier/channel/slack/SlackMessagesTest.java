package dev.herald.notifier.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.events.ParseOutcome;
import dev.herald.events.UniskaiEvent;
import dev.herald.events.WebhookParser;
import dev.herald.notifier.Snapshots;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SlackMessagesTest {

    private static final com.google.gson.Gson PRETTY = new com.google.gson.GsonBuilder().setPrettyPrinting().create();
    private final WebhookParser parser = new WebhookParser();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void documentedExampleRendersAsItsSnapshot(EventType type) {
        JsonObject payload = render(DocumentedExamples.of(type));

        assertThat(payload.get("text").getAsString()).isNotBlank();
        assertWithinSlackLimits(payload);
        Snapshots.assertMatches("slack/" + type.typeName() + ".json", PRETTY.toJson(payload) + "\n");
    }

    @Test
    void undocumentedTypeRendersGenerically() {
        JsonObject payload = render(utf8("{\"type\":\"budget-exceeded\",\"limit\":100}"));

        assertThat(payload.get("text").getAsString()).isEqualTo("Uniskai event budget-exceeded");
        assertThat(payload.toString()).contains("budget-exceeded", "limit");
        assertWithinSlackLimits(payload);
    }

    @Test
    void hostileStringsAreEscapedAndCannotPingOrFormat() {
        String hostile = "<!channel> <script>alert(1)</script> *bold* _it_ ~gone~ `code` & <https://evil.example|click>";
        JsonObject payload = render(utf8("{\"type\":\"cloudsitter-start-stop\",\"policy_name\":\"" + hostile.replace("\"", "\\\"")
                + "\",\"stopped\":[{\"account_id\":\"1\",\"type\":\"t\",\"rn\":\"r\",\"name\":\"" + hostile
                + "\",\"region\":\"eu\"}]}"));

        String json = payload.toString();
        assertThat(json).doesNotContain("<!channel>", "<script>", "<https://evil");
        assertThat(json).contains("&lt;!channel&gt;", "&lt;script&gt;", "&amp;");
        String fallback = payload.get("text").getAsString();
        assertThat(fallback).doesNotContain("*bold*", "_it_", "~gone~", "`code`").contains("&lt;!channel&gt;");
        for (JsonElement block : payload.getAsJsonArray("blocks")) {
            JsonObject text = block.getAsJsonObject().getAsJsonObject("text");
            if (text != null) {
                assertThat(text.get("type").getAsString()).as("payload values are never mrkdwn").isEqualTo("plain_text");
            }
        }
    }

    @Test
    void threeHundredResourcesFitOneMessageThatSaysThreeHundred() {
        String resources = IntStream.range(0, 300)
                .mapToObj(i -> "{\"account_id\":\"111111111111\",\"type\":\"ec2\",\"rn\":\"arn:aws:ec2:" + i
                        + "\",\"name\":\"instance-" + i + "-" + "x".repeat(40) + "\",\"region\":\"eu-west-1\"}")
                .collect(Collectors.joining(","));
        JsonObject payload = render(utf8("{\"type\":\"cloudsitter-start-stop\",\"policy_name\":\"office-hours\",\"stopped\":["
                + resources + "]}"));

        assertWithinSlackLimits(payload);
        assertThat(payload.get("text").getAsString()).isEqualTo("300 resources stopped by schedule office-hours");
        assertThat(payload.toString()).contains("…and 260 more (300 in all");
    }

    @Test
    void longTitleIsShortenedVisiblyInTheHeader() {
        JsonObject payload = render(utf8("{\"type\":\"trial-period-ended\",\"accounts\":[{\"account_name\":\""
                + "a".repeat(400) + "\",\"account_id\":\"1\"}]}"));

        assertWithinSlackLimits(payload);
        assertThat(payload.getAsJsonArray("blocks").get(0).getAsJsonObject().getAsJsonObject("text").get("text")
                .getAsString()).contains("more characters)");
    }

    private JsonObject render(byte[] body) {
        UniskaiEvent event = ((ParseOutcome.Parsed) parser.parse(body)).event();
        return JsonParser.parseString(SlackChannel.GSON.toJson(SlackMessages.of(event, "evt-1"))).getAsJsonObject();
    }

    static void assertWithinSlackLimits(JsonObject payload) {
        var blocks = payload.getAsJsonArray("blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        List<String> problems = new ArrayList<>();
        for (JsonElement element : blocks) {
            JsonObject block = element.getAsJsonObject();
            String type = block.get("type").getAsString();
            JsonObject text = block.getAsJsonObject("text");
            if (text != null) {
                int length = text.get("text").getAsString().length();
                if (type.equals("header") && length > 150 || length > 3000) {
                    problems.add(type + " text of " + length + " characters");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
