package dev.herald.notifier.render;

import static dev.herald.notifier.render.EventTitle.count;

import dev.herald.events.CloudsitterPolicyFailed;
import dev.herald.events.CloudsitterStartStop;
import dev.herald.events.EventType;
import dev.herald.events.FailedResource;
import dev.herald.events.ManagedOnDemandBackToSpot;
import dev.herald.events.ScheduledResource;
import dev.herald.events.SpotRecreated;
import dev.herald.events.SpotResource;
import dev.herald.events.SpotRollback;
import dev.herald.events.TeamMemberPermissionRequest;
import dev.herald.events.TrialPeriodEnded;
import dev.herald.events.TrialPeriodEnding;
import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Fold;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a folded message says, whatever the channel: a headline that says what happened to all the events ("Schedule
 * 'Nightly' stopped 312 resources in 3 accounts"), one line per event for the first {@link #MAX_LISTED}, and how many
 * are not listed. The text is raw payload data; each channel escapes it for its own format.
 *
 * @param type the Uniskai type of every folded event
 * @param lines one line per event, the first {@link #MAX_LISTED} only
 * @param total how many events the fold holds
 */
public record FoldSummary(String type, String headline, List<String> lines, int total) {

    /** Enough to see what the events were like; a fold can hold thousands, and Slack takes 50 blocks at most. */
    public static final int MAX_LISTED = 40;

    public FoldSummary {
        lines = List.copyOf(lines);
    }

    public static FoldSummary of(Fold fold) {
        List<UniskaiEvent> events = fold.items().stream().map(Fold.Item::event).toList();
        List<String> lines = fold.items().stream().limit(MAX_LISTED)
                .map(item -> EventTitle.of(item.event()) + " (event " + item.delivery().eventId() + ")")
                .toList();
        return new FoldSummary(fold.type(), headline(fold.type(), events), lines, events.size());
    }

    /** "…and 260 more (300 in all)", or empty when every event is listed. */
    public String remainder() {
        return total > lines.size() ? "…and " + (total - lines.size()) + " more (" + total + " in all)" : "";
    }

    static String headline(String type, List<UniskaiEvent> events) {
        return EventType.byName(type).map(documented -> switch (documented) {
            case SPOT_RECREATED -> spot(resources(events, SpotRecreated.class, SpotRecreated::resources),
                    "spot instance", "recreated");
            case SPOT_ROLLBACK -> spot(resources(events, SpotRollback.class, SpotRollback::resources),
                    "spot instance", "rolled back to on-demand");
            case MANAGED_ON_DEMAND_BACK_TO_SPOT -> spot(resources(events, ManagedOnDemandBackToSpot.class,
                    ManagedOnDemandBackToSpot::resources), "on-demand instance", "moved back to spot");
            case CLOUDSITTER_START_STOP -> startStop(only(events, CloudsitterStartStop.class));
            case CLOUDSITTER_POLICY_FAILED -> policyFailed(only(events, CloudsitterPolicyFailed.class));
            case TRIAL_PERIOD_ENDING -> trials(only(events, TrialPeriodEnding.class), "ending");
            case TRIAL_PERIOD_ENDED -> trials(only(events, TrialPeriodEnded.class), "ended");
            case TEAM_MEMBER_PERMISSION_REQUEST -> permissionRequests(only(events, TeamMemberPermissionRequest.class));
        }).orElseGet(() -> count(events.size(), "event") + " of type " + type);
    }

    /** Spot events name no account: regions are what they tell apart. */
    private static String spot(List<SpotResource> resources, String noun, String what) {
        List<SpotResource> instances = resources.stream().distinct().toList();
        long regions = instances.stream().map(SpotResource::region).distinct().count();
        return count(instances.size(), noun) + " " + what + " in " + count((int) regions, "region");
    }

    private static String startStop(List<CloudsitterStartStop> events) {
        List<String> schedules = events.stream().map(CloudsitterStartStop::policyName).distinct().toList();
        long stopped = events.stream().flatMap(e -> e.stoppedResources().stream()).distinct().count();
        long started = events.stream().flatMap(e -> e.startedResources().stream()).distinct().count();
        long accounts = events.stream()
                .flatMap(e -> Stream.concat(e.stoppedResources().stream(), e.startedResources().stream()))
                .map(ScheduledResource::accountId).distinct().count();
        String who = schedules.size() == 1 ? "Schedule '" + schedules.get(0) + "'" : schedules.size() + " schedules";
        String what = stopped > 0 && started > 0 ? "stopped " + stopped + " and started " + count((int) started, "resource")
                : stopped > 0 ? "stopped " + count((int) stopped, "resource")
                : "started " + count((int) started, "resource");
        return who + " " + what + " in " + count((int) accounts, "account");
    }

    private static String policyFailed(List<CloudsitterPolicyFailed> events) {
        List<String> actions = events.stream().map(CloudsitterPolicyFailed::failedAction).distinct().sorted().toList();
        List<FailedResource> resources = events.stream().flatMap(e -> e.resources().stream()).distinct().toList();
        long regions = resources.stream().map(FailedResource::region).distinct().count();
        return "Schedules failed to turn " + String.join(" or ", actions) + " " + count(resources.size(), "resource")
                + " in " + count((int) regions, "region");
    }

    private static String trials(List<? extends UniskaiEvent> events, String what) {
        long accounts = events.stream().flatMap(e -> e.accountIds().stream()).distinct().count();
        return (accounts == 1 ? "Trial " : "Trials ") + what + " for " + count((int) accounts, "account");
    }

    private static String permissionRequests(List<TeamMemberPermissionRequest> events) {
        long requesters = events.stream().map(TeamMemberPermissionRequest::requesterName).distinct().count();
        long accounts = events.stream().map(TeamMemberPermissionRequest::accountId).distinct().count();
        return count(events.size(), "permission request") + " from " + count((int) requesters, "team member") + " for "
                + count((int) accounts, "account");
    }

    private static <E extends UniskaiEvent> List<E> only(List<UniskaiEvent> events, Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <E extends UniskaiEvent> List<SpotResource> resources(List<UniskaiEvent> events, Class<E> type,
            Function<E, List<SpotResource>> resources) {
        return only(events, type).stream().flatMap(e -> resources.apply(e).stream()).toList();
    }
}
