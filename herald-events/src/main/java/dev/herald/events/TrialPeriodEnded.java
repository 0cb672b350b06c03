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

/** {@code trial-period-ended}: the trial of these accounts has ended. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrialPeriodEnded(@NotEmpty List<@NotNull @Valid Account> accounts) implements UniskaiEvent {

    public static final String TYPE = "trial-period-ended";

    /** An account whose trial has ended. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Account(@NotBlank String accountName, @NotBlank String accountId) {
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
