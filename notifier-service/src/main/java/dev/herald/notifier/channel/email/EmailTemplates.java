package dev.herald.notifier.channel.email;

import dev.herald.events.CloudsitterPolicyFailed;
import dev.herald.events.CloudsitterStartStop;
import dev.herald.events.SpotResource;
import dev.herald.events.TeamMemberPermissionRequest;
import dev.herald.events.TrialPeriodEnded;
import dev.herald.events.TrialPeriodEnding;
import dev.herald.notifier.render.FoldSummary;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/**
 * Type-checked Qute templates of the emails, one pair (HTML and text) per event type; the three spot types share
 * one shape and so one pair, undocumented types get a generic one, and a fold of any type gets one. HTML templates
 * escape every value.
 */
final class EmailTemplates {

    private EmailTemplates() {
    }

    @CheckedTemplate(basePath = "email/html")
    static class Html {
        static native TemplateInstance spot(String title, String action, List<SpotResource> resources, String eventId);

        static native TemplateInstance startStop(String title, CloudsitterStartStop event, String eventId);

        static native TemplateInstance policyFailed(String title, CloudsitterPolicyFailed event, String eventId);

        static native TemplateInstance trialEnding(String title, TrialPeriodEnding event, String eventId);

        static native TemplateInstance trialEnded(String title, TrialPeriodEnded event, String eventId);

        static native TemplateInstance permissionRequest(String title, TeamMemberPermissionRequest event, String eventId);

        static native TemplateInstance undocumented(String title, String type, String json, String eventId);

        static native TemplateInstance fold(FoldSummary summary);
    }

    @CheckedTemplate(basePath = "email/text")
    static class Text {
        static native TemplateInstance spot(String title, String action, List<SpotResource> resources, String eventId);

        static native TemplateInstance startStop(String title, CloudsitterStartStop event, String eventId);

        static native TemplateInstance policyFailed(String title, CloudsitterPolicyFailed event, String eventId);

        static native TemplateInstance trialEnding(String title, TrialPeriodEnding event, String eventId);

        static native TemplateInstance trialEnded(String title, TrialPeriodEnded event, String eventId);

        static native TemplateInstance permissionRequest(String title, TeamMemberPermissionRequest event, String eventId);

        static native TemplateInstance undocumented(String title, String type, String json, String eventId);

        static native TemplateInstance fold(FoldSummary summary);
    }
}
