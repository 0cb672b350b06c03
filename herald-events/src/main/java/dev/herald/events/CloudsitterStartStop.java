package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Objects;

/**
 * {@code cloudsitter-start-stop}: a schedule stopped or started resources. The documentation names the list
 * "stopped/started": a body carries {@code stopped}, {@code started}, or both.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@StoppedOrStarted
public record CloudsitterStartStop(
        @NotBlank String policyName,
        List<@NotNull @Valid ScheduledResource> stopped,
        List<@NotNull @Valid ScheduledResource> started) implements UniskaiEvent {

    public static final String TYPE = "cloudsitter-start-stop";

    @Override
    public String type() {
        return TYPE;
    }

    /** Stopped resources; empty when the body has none. */
    public List<ScheduledResource> stoppedResources() {
        return stopped == null ? List.of() : stopped;
    }

    /** Started resources; empty when the body has none. */
    public List<ScheduledResource> startedResources() {
        return started == null ? List.of() : started;
    }

    @Override
    public List<String> accountIds() {
        return java.util.stream.Stream.concat(stoppedResources().stream(), startedResources().stream())
                .filter(Objects::nonNull)
                .map(ScheduledResource::accountId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
    }
}
