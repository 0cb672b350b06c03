package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * {@code team-member-permission-request}: a team member asks the owner of an environment for permissions.
 * {@code accountId}, {@code accountName} and {@code environmentId} describe the receiver, the environment's owner.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TeamMemberPermissionRequest(
        @NotBlank String provider,
        @NotBlank String accountId,
        @NotBlank String accountName,
        @NotNull Long environmentId,
        @NotBlank String requesterName,
        @NotEmpty List<@NotNull @Valid Permission> permissions) implements UniskaiEvent {

    public static final String TYPE = "team-member-permission-request";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> accountIds() {
        return accountId == null ? List.of() : List.of(accountId);
    }
}
