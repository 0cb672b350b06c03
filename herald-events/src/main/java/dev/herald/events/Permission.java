package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * One permission a team member asks for. {@code mode} stays a string checked by a pattern, not an enum,
 * so an unexpected value is reported as a violation at its path rather than as an unreadable body.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Permission(
        @NotBlank String service,
        @NotNull @Pattern(regexp = "Was withdrawn|Read|Read/write",
                message = "must be one of \"Was withdrawn\", \"Read\", \"Read/write\"") String mode) {
}
