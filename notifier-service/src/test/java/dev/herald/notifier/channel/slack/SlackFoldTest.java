package dev.herald.notifier.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.herald.events.CloudsitterStartStop;
import dev.herald.notifier.Folds;
import dev.herald.notifier.render.FoldSummary;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A fold is one Slack message: a headline, the first 40 events, how many more; escaped like any message. */
class SlackFoldTest {

    private static final String HOSTILE = "<!channel> <script>alert(1)</script> *bold* _it_ ~gone~ `code` & <https://evil.example|click>";

    @Test
    void threeHundredEventsFoldIntoOneMessageWithinSlacksLimits() {
        List<CloudsitterStartStop> events = IntStream.range(0, 300)
                .mapToObj(i -> Folds.stopped("Nightly", "acc-" + i % 3, i, 1)).toList();

        JsonObject payload = render(events);

        SlackMessagesTest.assertWithinSlackLimits(payload);
        assertThat(payload.get("text").getAsString()).isEqualTo("Schedule 'Nightly' stopped 300 resources in 3 accounts");
        assertThat(payload.toString()).contains("…and 260 more (300 in all)");
        assertThat(payload.toString().split("• ", -1)).hasSize(41);
    }

    @Test
    void longHostileNamesStayWithinSlacksLimits() {
        String name = HOSTILE.repeat(30);
        List<CloudsitterStartStop> events = IntStream.range(0, 100).mapToObj(i -> Folds.stopped(name, "acc", i, 1)).toList();

        SlackMessagesTest.assertWithinSlackLimits(render(events));
    }

    @Test
    void hostileStringsAreEscapedAndCannotPingOrFormat() {
        JsonObject payload = render(List.of(Folds.stopped(HOSTILE, "1", 0, 1), Folds.stopped(HOSTILE, "1", 1, 1)));

        String json = payload.toString();
        assertThat(json).doesNotContain("<!channel>", "<script>", "<https://evil");
        assertThat(json).contains("&lt;!channel&gt;", "&lt;script&gt;", "&amp;");
        assertThat(payload.get("text").getAsString()).doesNotContain("*bold*", "_it_", "~gone~", "`code`")
                .contains("&lt;!channel&gt;");
        for (JsonElement block : payload.getAsJsonArray("blocks")) {
            JsonObject text = block.getAsJsonObject().getAsJsonObject("text");
            if (text != null) {
                assertThat(text.get("type").getAsString()).as("payload values are never mrkdwn").isEqualTo("plain_text");
            }
        }
    }

    private static JsonObject render(List<CloudsitterStartStop> events) {
        return JsonParser.parseString(SlackChannel.GSON.toJson(SlackMessages.ofFold(FoldSummary.of(Folds.of(events)))))
                .getAsJsonObject();
    }
}
