package dev.herald.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Objects;

/** {@code trial-period-ending}: the trial of these accounts ends soon. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialPeriodEnding(@NotEmpty List<@NotNull @Valid Account> accounts) implements UniskaiEvent {

    public static final String TYPE = "trial-period-ending";

    /**
     * An account whose trial ends. {@code trialDays} ("10 days") and {@code trialExpiredOn} ("Feb 31, 2023" in the
     * vendor's own example) are display text: kept as text, never parsed as a duration or a date.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Account(
            @NotBlank String accountName,
            @NotBlank String accountId,
            @NotBlank String trialDays,
            @NotBlank String trialExpiredOn) {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> accountIds() {
        return accounts == null ? List.of()
                : accounts.stream().filter(Objects::nonNull).map(Account::accountId).filter(Objects::nonNull).distinct().toList();
    }
}
