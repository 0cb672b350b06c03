package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/** {@code cloudsitter-policy-failed}: a schedule did not apply; {@code failedAction} is {@code on} or {@code off}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CloudsitterPolicyFailed(
        @NotEmpty List<@NotNull @Valid FailedResource> resources,
        @NotNull @Pattern(regexp = "on|off", message = "must be \"on\" or \"off\"") String failedAction)
        implements UniskaiEvent {

    public static final String TYPE = "cloudsitter-policy-failed";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> accountIds() {
        return List.of();
    }
}
