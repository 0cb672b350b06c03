package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotBlank;

/** A resource in the spot events; {@code vpc} is null when the instance is in no VPC. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SpotResource(
        @NotBlank String name,
        @NotBlank String type,
        @NotBlank String region,
        String vpc) {
}
