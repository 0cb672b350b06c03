package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.NotBlank;

/** A resource a Cloudsitter schedule started or stopped; {@code rn} is its resource name (an ARN on AWS). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ScheduledResource(
        @NotBlank String accountId,
        @NotBlank String type,
        @NotBlank String rn,
        @NotBlank String name,
        @NotBlank String region) {
}
