package dev.herald.notifier.render;

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
import dev.herald.events.UniskaiEvent;
import java.util.List;

/**
 * One line that says what happened, for email subjects and Slack headers: "Spot instance i-0abc12d345ef678 recreated
 * in eu-central-1", "3 resources started by schedule office-hours". The text is raw payload data; each channel
 * escapes it for its own format.
 */
public final class EventTitle {

    private EventTitle() {
    }

    public static String of(UniskaiEvent event) {
        return EventType.of(event).map(type -> switch (type) {
            case SPOT_RECREATED -> spot(((SpotRecreated) event).resources(), "Spot instance", "spot instances", "recreated");
            case SPOT_ROLLBACK -> spot(((SpotRollback) event).resources(), "Spot instance", "spot instances",
                    "rolled back to on-demand");
            case MANAGED_ON_DEMAND_BACK_TO_SPOT -> spot(((ManagedOnDemandBackToSpot) event).resources(),
                    "On-demand instance", "on-demand instances", "moved back to spot");
            case CLOUDSITTER_START_STOP -> startStop((CloudsitterStartStop) event);
            case CLOUDSITTER_POLICY_FAILED -> policyFailed((CloudsitterPolicyFailed) event);
            case TRIAL_PERIOD_ENDING -> trialEnding((TrialPeriodEnding) event);
            case TRIAL_PERIOD_ENDED -> trialEnded((TrialPeriodEnded) event);
            case TEAM_MEMBER_PERMISSION_REQUEST -> permissionRequest((TeamMemberPermissionRequest) event);
        }).orElseGet(() -> "Uniskai event " + event.type());
    }

    private static String spot(List<SpotResource> resources, String one, String many, String what) {
        if (resources.size() == 1) {
            SpotResource resource = resources.get(0);
            return one + " " + resource.name() + " " + what + " in " + resource.region();
        }
        return resources.size() + " " + many + " " + what;
    }

    private static String startStop(CloudsitterStartStop event) {
        int stopped = event.stoppedResources().size();
        int started = event.startedResources().size();
        String what = stopped > 0 && started > 0 ? count(stopped, "resource") + " stopped and " + started + " started"
                : stopped > 0 ? count(stopped, "resource") + " stopped"
                : count(started, "resource") + " started";
        return what + " by schedule " + event.policyName();
    }

    private static String policyFailed(CloudsitterPolicyFailed event) {
        return "Schedule failed to turn " + event.failedAction() + " " + count(event.resources().size(), "resource");
    }

    private static String trialEnding(TrialPeriodEnding event) {
        if (event.accounts().size() == 1) {
            TrialPeriodEnding.Account account = event.accounts().get(0);
            return "Trial of " + account.accountName() + " ends in " + account.trialDays();
        }
        return "Trials of " + event.accounts().size() + " accounts end soon";
    }

    private static String trialEnded(TrialPeriodEnded event) {
        if (event.accounts().size() == 1) {
            return "Trial of " + event.accounts().get(0).accountName() + " has ended";
        }
        return "Trials of " + event.accounts().size() + " accounts have ended";
    }

    private static String permissionRequest(TeamMemberPermissionRequest event) {
        return event.requesterName() + " asks for access to " + event.accountName();
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
