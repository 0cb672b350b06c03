package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** {@code spot-recreated}: Uniskai recreated spot instances. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpotRecreated(@NotEmpty List<@NotNull @Valid SpotResource> resources) implements UniskaiEvent {

    public static final String TYPE = "spot-recreated";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> accountIds() {
        return List.of();
    }
}
