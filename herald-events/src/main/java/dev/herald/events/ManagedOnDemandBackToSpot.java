package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** {@code managed-on-demand-back-to-spot}: managed on-demand instances went back to spot. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ManagedOnDemandBackToSpot(@NotEmpty List<@NotNull @Valid SpotResource> resources) implements UniskaiEvent {

    public static final String TYPE = "managed-on-demand-back-to-spot";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> accountIds() {
        return List.of();
    }
}
