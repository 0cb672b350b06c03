package dev.herald.events;

import java.util.List;

/**
 * One Uniskai webhook, parsed. Each documented type is a record; anything else is an {@link UndocumentedEvent}.
 * The original body stays the record of truth: these records only hold what Herald reads from it.
 */
public sealed interface UniskaiEvent
        permits TeamMemberPermissionRequest, SpotRecreated, SpotRollback, ManagedOnDemandBackToSpot,
        CloudsitterStartStop, CloudsitterPolicyFailed, TrialPeriodEnding, TrialPeriodEnded, UndocumentedEvent {

    /** The Uniskai type name, e.g. {@code spot-recreated}. */
    String type();

    /** The distinct cloud account ids the event names, in order of appearance; empty when it names none. */
    List<String> accountIds();
}
