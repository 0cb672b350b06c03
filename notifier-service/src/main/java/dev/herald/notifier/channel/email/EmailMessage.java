package dev.herald.notifier.channel.email;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.herald.events.CloudsitterPolicyFailed;
import dev.herald.events.CloudsitterStartStop;
import dev.herald.events.EventType;
import dev.herald.events.ManagedOnDemandBackToSpot;
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
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/** The subject and the two bodies of one event's email. */
record EmailMessage(String subject, String html, String text) {

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static EmailMessage of(UniskaiEvent event, String eventId) {
        String title = EventTitle.of(event);
        TemplateInstance[] bodies = EventType.of(event).map(type -> switch (type) {
            case SPOT_RECREATED -> spot(title, "recreated", ((SpotRecreated) event).resources(), eventId);
            case SPOT_ROLLBACK -> spot(title, "rolled back to on-demand", ((SpotRollback) event).resources(), eventId);
            case MANAGED_ON_DEMAND_BACK_TO_SPOT -> spot(title, "moved back to spot",
                    ((ManagedOnDemandBackToSpot) event).resources(), eventId);
            case CLOUDSITTER_START_STOP -> new TemplateInstance[] {
                    EmailTemplates.Html.startStop(title, (CloudsitterStartStop) event, eventId),
                    EmailTemplates.Text.startStop(title, (CloudsitterStartStop) event, eventId)};
            case CLOUDSITTER_POLICY_FAILED -> new TemplateInstance[] {
                    EmailTemplates.Html.policyFailed(title, (CloudsitterPolicyFailed) event, eventId),
                    EmailTemplates.Text.policyFailed(title, (CloudsitterPolicyFailed) event, eventId)};
            case TRIAL_PERIOD_ENDING -> new TemplateInstance[] {
                    EmailTemplates.Html.trialEnding(title, (TrialPeriodEnding) event, eventId),
                    EmailTemplates.Text.trialEnding(title, (TrialPeriodEnding) event, eventId)};
            case TRIAL_PERIOD_ENDED -> new TemplateInstance[] {
                    EmailTemplates.Html.trialEnded(title, (TrialPeriodEnded) event, eventId),
                    EmailTemplates.Text.trialEnded(title, (TrialPeriodEnded) event, eventId)};
            case TEAM_MEMBER_PERMISSION_REQUEST -> new TemplateInstance[] {
                    EmailTemplates.Html.permissionRequest(title, (TeamMemberPermissionRequest) event, eventId),
                    EmailTemplates.Text.permissionRequest(title, (TeamMemberPermissionRequest) event, eventId)};
        }).orElseGet(() -> {
            String json = prettyJson(event);
            return new TemplateInstance[] {
                    EmailTemplates.Html.undocumented(title, event.type(), json, eventId),
                    EmailTemplates.Text.undocumented(title, event.type(), json, eventId)};
        });
        return new EmailMessage(subject(title), bodies[0].render(), bodies[1].render());
    }

    /** One email for a fold: its headline as the subject, the events it lists and how many more it holds. */
    static EmailMessage ofFold(FoldSummary summary) {
        return new EmailMessage(subject(summary.headline()), EmailTemplates.Html.fold(summary).render(),
                EmailTemplates.Text.fold(summary).render());
    }

    /** Payload text in a header: no CR, LF or control character, whatever the event said. */
    static String subject(String title) {
        return "[Herald] " + MailHeaderText.clean(title);
    }

    private static TemplateInstance[] spot(String title, String action, List<SpotResource> resources,
            String eventId) {
        return new TemplateInstance[] {
                EmailTemplates.Html.spot(title, action, resources, eventId),
                EmailTemplates.Text.spot(title, action, resources, eventId)};
    }

    private static String prettyJson(UniskaiEvent event) {
        try {
            return event instanceof UndocumentedEvent undocumented ? PRETTY.writeValueAsString(undocumented.body())
                    : PRETTY.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return event.toString();
        }
    }
}
