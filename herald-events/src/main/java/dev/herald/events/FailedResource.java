package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.NotBlank;

/** A resource a Cloudsitter schedule could not switch, with Uniskai's error text. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FailedResource(
        @NotBlank String name,
        @NotBlank String type,
        @NotBlank String region,
        @NotBlank String error) {
}
