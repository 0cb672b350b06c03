package dev.herald.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.console.journey.Step.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneyIndexTest {

    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    @Test
    void aJourneyIsLetGoOnceItsNewestStepIsOlderThanTheTopicsRetention() {
        JourneyIndex index = new JourneyIndex();
        index.add(accepted("old", T0));
        index.add(accepted("late", T0));
        // An outcome of "late" a day after it was accepted: its records are kept a day longer.
        index.add(attempt("late", T0.plus(Duration.ofDays(1))));
        index.add(accepted("new", T0.plus(Duration.ofDays(2))));

        int forgottenToFit = index.forget(T0.plus(Duration.ofHours(12)), 100);

        assertThat(forgottenToFit).isZero();
        assertThat(index.journey("old")).isEmpty();
        assertThat(index.journey("late")).isPresent();
        assertThat(index.journey("new")).isPresent();
        assertThat(search(index)).containsExactly("new", "late");
        assertThat(index.timeKeys()).as("no entry by time outlives its journey").isEqualTo(2);
    }

    @Test
    void aJourneyTheRouterDeadLetteredBeforeItWasReadAsAcceptedLeavesNoEntryByTimeBehind() {
        JourneyIndex index = new JourneyIndex();
        index.add(routerDeadLetter("dead", T0.plusMillis(5)));
        index.add(accepted("dead", T0));

        index.forget(T0.plus(Duration.ofHours(1)), 100);

        assertThat(index.size()).isZero();
        assertThat(index.timeKeys()).isZero();
    }

    @Test
    void journeysWithADeadLetterAreTheLastLetGoToFit() {
        JourneyIndex index = new JourneyIndex();
        index.add(routerDeadLetter("dead", T0));
        index.add(accepted("newer", T0.plusSeconds(1)));
        index.add(accepted("newest", T0.plusSeconds(2)));

        assertThat(index.forget(null, 2)).isEqualTo(1);

        assertThat(search(index)).containsExactly("newest", "dead");
        assertThat(index.timeKeys()).isEqualTo(2);
    }

    @Test
    void beyondMaxJourneysTheOnesThatMovedLeastRecentlyAreLetGo() {
        JourneyIndex index = new JourneyIndex();
        for (int i = 0; i < 5; i++) {
            index.add(accepted("e" + i, T0.plusSeconds(i)));
        }
        index.add(attempt("e0", T0.plusSeconds(60)));

        int forgottenToFit = index.forget(null, 3);

        assertThat(forgottenToFit).isEqualTo(2);
        assertThat(index.size()).isEqualTo(3);
        assertThat(search(index)).containsExactly("e4", "e3", "e0");
        assertThat(index.acceptedByType(T0)).containsEntry("spot-rollback", 3L);
        assertThat(index.timeKeys()).isEqualTo(3);
    }

    private static List<String> search(JourneyIndex index) {
        return index.search(new JourneyIndex.Criteria(null, null, null, null, 100)).stream().map(Journey::eventId)
                .toList();
    }

    private static Step accepted(String eventId, Instant at) {
        return new Step(Kind.ACCEPTED, "raw/0@" + eventId, eventId, at, "spot-rollback", List.of("1"), "raw", 0, "{}",
                null, null, null, null, null, null, null, null, null, null);
    }

    private static Step routerDeadLetter(String eventId, Instant at) {
        return new Step(Kind.ROUTER_DEAD_LETTER, "dlq/0@" + eventId, eventId, at, null, null, "dlq", 0, "{", null, null,
                null, null, null, null, null, "malformed-body", null, null);
    }

    private static Step attempt(String eventId, Instant at) {
        return new Step(Kind.ATTEMPT, "outcomes/0@" + eventId + at, eventId, at, "spot-rollback", null, "outcomes", 0,
                null, null, eventId + "/email/k", "ops", "email", "k", 1, "sent", null, null, null);
    }
}
