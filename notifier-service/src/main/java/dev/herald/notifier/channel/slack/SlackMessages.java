package dev.herald.notifier.channel.slack;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.divider;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.webhook.Payload;
import dev.herald.events.CloudsitterPolicyFailed;
import dev.herald.events.CloudsitterStartStop;
import dev.herald.events.EventType;
import dev.herald.events.ManagedOnDemandBackToSpot;
import dev.herald.events.ScheduledResource;
import dev.herald.events.SpotRecreated;
import dev.herald.events.SpotResource;
import dev.herald.events.SpotRollback;
import dev.herald.events.TeamMemberPermissionRequest;
import dev.herald.events.TrialPeriodEnded;
import dev.herald.events.TrialPeriodEnding;
import dev.herald.events.UndocumentedEvent;
import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.render.EventTitle;
import dev.herald.notifier.render.FoldSummary;
import java.util.ArrayList;
import java.util.List;

/**
 * The Block Kit message of each event type, built with the Slack SDK's typed model. Every payload value goes into a
 * plain_text object, escaped; the {@code text} fallback (what notifications show) is escaped mrkdwn. Slack's limits
 * hold by construction: at most {@link #MAX_BLOCKS} blocks, {@link #MAX_SECTION_TEXT} characters per section,
 * {@link #MAX_HEADER_TEXT} per header; a long list shows its first {@link #MAX_LISTED} items and says how many more.
 */
final class SlackMessages {

    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION_TEXT = 3000;
    static final int MAX_HEADER_TEXT = 150;
    static final int MAX_LISTED = FoldSummary.MAX_LISTED;
    /** A listed line never takes more than this, so a few hostile names cannot crowd out the rest. */
    static final int MAX_LINE = 300;
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SlackMessages() {
    }

    static Payload of(UniskaiEvent event, String eventId) {
        String title = EventTitle.of(event);
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(SlackText.fit(SlackText.escape(title), MAX_HEADER_TEXT)))));
        blocks.addAll(EventType.of(event).map(type -> switch (type) {
            case SPOT_RECREATED -> spot(((SpotRecreated) event).resources());
            case SPOT_ROLLBACK -> spot(((SpotRollback) event).resources());
            case MANAGED_ON_DEMAND_BACK_TO_SPOT -> spot(((ManagedOnDemandBackToSpot) event).resources());
            case CLOUDSITTER_START_STOP -> startStop((CloudsitterStartStop) event);
            case CLOUDSITTER_POLICY_FAILED -> policyFailed((CloudsitterPolicyFailed) event);
            case TRIAL_PERIOD_ENDING -> list(((TrialPeriodEnding) event).accounts().stream()
                    .map(a -> a.accountName() + " (" + a.accountId() + "): ends in " + a.trialDays() + ", on "
                            + a.trialExpiredOn()).toList());
            case TRIAL_PERIOD_ENDED -> list(((TrialPeriodEnded) event).accounts().stream()
                    .map(a -> a.accountName() + " (" + a.accountId() + ")").toList());
            case TEAM_MEMBER_PERMISSION_REQUEST -> permissionRequest((TeamMemberPermissionRequest) event);
        }).orElseGet(() -> undocumented(event)));
        blocks.add(divider());
        blocks.add(context(c -> c.elements(List.of(
                plainText(SlackText.escape("Uniskai " + event.type() + " · event " + eventId + " · Herald"))))));
        return Payload.builder()
                .text(SlackText.escapeMrkdwn(title))
                .blocks(blocks)
                .build();
    }

    /** One message for a fold: its headline, the events it lists and how many more it holds. */
    static Payload ofFold(FoldSummary summary) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(SlackText.fit(SlackText.escape(summary.headline()), MAX_HEADER_TEXT)))));
        blocks.addAll(list(summary.lines(), summary.remainder()));
        blocks.add(divider());
        blocks.add(context(c -> c.elements(List.of(plainText(SlackText.escape("Uniskai " + summary.type() + " · "
                + summary.total() + " events in one message · Herald"))))));
        return Payload.builder()
                .text(SlackText.escapeMrkdwn(summary.headline()))
                .blocks(blocks)
                .build();
    }

    private static List<LayoutBlock> spot(List<SpotResource> resources) {
        return list(resources.stream()
                .map(r -> r.name() + " — " + r.type() + ", " + r.region() + ", VPC " + (r.vpc() == null ? "none" : r.vpc()))
                .toList());
    }

    private static List<LayoutBlock> startStop(CloudsitterStartStop event) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(plainText(SlackText.fit(SlackText.escape("Schedule: " + event.policyName()),
                MAX_SECTION_TEXT)))));
        if (!event.stoppedResources().isEmpty()) {
            blocks.add(section(s -> s.text(plainText("Stopped (" + event.stoppedResources().size() + ")"))));
            blocks.addAll(list(event.stoppedResources().stream().map(SlackMessages::scheduled).toList()));
        }
        if (!event.startedResources().isEmpty()) {
            blocks.add(section(s -> s.text(plainText("Started (" + event.startedResources().size() + ")"))));
            blocks.addAll(list(event.startedResources().stream().map(SlackMessages::scheduled).toList()));
        }
        return blocks;
    }

    private static String scheduled(ScheduledResource r) {
        return r.name() + " — " + r.type() + ", " + r.region() + ", account " + r.accountId();
    }

    private static List<LayoutBlock> policyFailed(CloudsitterPolicyFailed event) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(plainText("A schedule could not turn " + SlackText.escape(event.failedAction())
                + " these resources; they are not in the state it wants."))));
        blocks.addAll(list(event.resources().stream()
                .map(r -> r.name() + " — " + r.type() + ", " + r.region() + ": " + r.error()).toList()));
        return blocks;
    }

    private static List<LayoutBlock> permissionRequest(TeamMemberPermissionRequest event) {
        List<LayoutBlock> blocks = new ArrayList<>();
        List<TextObject> fields = List.of(
                plainText(SlackText.fit(SlackText.escape("Requester: " + event.requesterName()), 2000)),
                plainText(SlackText.fit(SlackText.escape("Account: " + event.accountName() + " (" + event.accountId() + ")"), 2000)),
                plainText(SlackText.fit(SlackText.escape("Provider: " + event.provider()), 2000)),
                plainText("Environment: " + event.environmentId()));
        blocks.add(section(s -> s.fields(fields)));
        blocks.addAll(list(event.permissions().stream().map(p -> p.service() + ": " + p.mode()).toList()));
        blocks.add(section(s -> s.text(plainText("Approve or deny the request in Uniskai."))));
        return blocks;
    }

    private static List<LayoutBlock> undocumented(UniskaiEvent event) {
        String json;
        try {
            json = PRETTY.writeValueAsString(event instanceof UndocumentedEvent u ? u.body() : event);
        } catch (JsonProcessingException e) {
            json = event.toString();
        }
        String text = SlackText.fit(SlackText.escape(json), MAX_SECTION_TEXT);
        return List.of(section(s -> s.text(plainText("Herald does not know this type yet. Uniskai sent:"))),
                section(s -> s.text(plainText(text))));
    }

    /** The first {@link #MAX_LISTED} lines, then how many are not shown (the email lists every one). */
    private static List<LayoutBlock> list(List<String> lines) {
        int shown = Math.min(lines.size(), MAX_LISTED);
        String remainder = lines.size() > shown ? "…and " + (lines.size() - shown) + " more (" + lines.size()
                + " in all; the email lists every one)" : "";
        return list(lines.subList(0, shown), remainder);
    }

    /** Lines in sections of at most {@link #MAX_SECTION_TEXT} characters, then {@code remainder} unless empty. */
    private static List<LayoutBlock> list(List<String> lines, String remainder) {
        List<LayoutBlock> blocks = new ArrayList<>();
        StringBuilder section = new StringBuilder();
        for (String text : lines) {
            String line = "• " + SlackText.fit(SlackText.escape(text), MAX_LINE) + "\n";
            if (section.length() + line.length() > MAX_SECTION_TEXT) {
                addSection(blocks, section);
                section.setLength(0);
            }
            section.append(line);
        }
        if (section.length() + remainder.length() > MAX_SECTION_TEXT) {
            addSection(blocks, section);
            section.setLength(0);
        }
        section.append(SlackText.escape(remainder));
        if (!section.isEmpty()) {
            addSection(blocks, section);
        }
        return blocks;
    }

    private static void addSection(List<LayoutBlock> blocks, StringBuilder text) {
        String content = text.toString().stripTrailing();
        blocks.add(section(s -> s.text(plainText(content))));
    }
}
