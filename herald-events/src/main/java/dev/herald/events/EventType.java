package dev.herald.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The documented Uniskai types: the one place that maps a type name to its record (and, through {@link Topics},
 * to its topic). Adding a type is a record and a line here; the compiler then points at every switch on
 * {@link UniskaiEvent} that must learn it.
 */
public enum EventType {
    TEAM_MEMBER_PERMISSION_REQUEST(TeamMemberPermissionRequest.TYPE, TeamMemberPermissionRequest.class),
    SPOT_RECREATED(SpotRecreated.TYPE, SpotRecreated.class),
    SPOT_ROLLBACK(SpotRollback.TYPE, SpotRollback.class),
    MANAGED_ON_DEMAND_BACK_TO_SPOT(ManagedOnDemandBackToSpot.TYPE, ManagedOnDemandBackToSpot.class),
    CLOUDSITTER_START_STOP(CloudsitterStartStop.TYPE, CloudsitterStartStop.class),
    CLOUDSITTER_POLICY_FAILED(CloudsitterPolicyFailed.TYPE, CloudsitterPolicyFailed.class),
    TRIAL_PERIOD_ENDING(TrialPeriodEnding.TYPE, TrialPeriodEnding.class),
    TRIAL_PERIOD_ENDED(TrialPeriodEnded.TYPE, TrialPeriodEnded.class);

    private static final Map<String, EventType> BY_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::typeName, Function.identity()));

    private final String typeName;
    private final Class<? extends UniskaiEvent> recordClass;

    EventType(String typeName, Class<? extends UniskaiEvent> recordClass) {
        this.typeName = typeName;
        this.recordClass = recordClass;
    }

    /** The name in the webhook's {@code type} field, e.g. {@code spot-recreated}. */
    public String typeName() {
        return typeName;
    }

    public Class<? extends UniskaiEvent> recordClass() {
        return recordClass;
    }

    /**
     * The documented type of a parsed event; empty for an {@link UndocumentedEvent}, even one that bears a documented
     * type's name because its fields did not match that type: renderers switch over this, never over the name alone.
     */
    public static Optional<EventType> of(UniskaiEvent event) {
        return event instanceof UndocumentedEvent ? Optional.empty() : byName(event.type());
    }

    /** The documented type of that name, or empty for an undocumented one. */
    public static Optional<EventType> byName(String typeName) {
        return Optional.ofNullable(BY_NAME.get(typeName));
    }
}
