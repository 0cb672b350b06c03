package dev.herald.console.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.console.journey.Step.Kind;
import dev.herald.events.DeliveryHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JourneyIndexTest {

    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    @TempDir
    Path directory;
    private JourneyIndex index;

    @AfterEach
    void close() {
        if (index != null) {
            index.close();
        }
    }

    @Test
    void aJourneyIsLetGoOnceItsNewestStepIsOlderThanTheTopicsRetention() {
        index = JourneyIndex.open(directory.resolve("index"));
        index.add(accepted("old", T0));
        index.add(accepted("late", T0));
        // An outcome of "late" a day after it was accepted: its records are kept a day longer.
        index.add(attempt("late", T0.plus(Duration.ofDays(1))));
        index.add(accepted("new", T0.plus(Duration.ofDays(2))));

        assertThat(index.forget(T0.plus(Duration.ofHours(12)))).isEqualTo(1);

        assertThat(index.journey("old")).isEmpty();
        assertThat(index.journey("late")).get().extracting(j -> j.steps().size()).isEqualTo(2);
        assertThat(index.journey("new")).isPresent();
        assertThat(index.size()).isEqualTo(2);
        assertThat(search(index)).containsExactly("new", "late");
        assertThat(index.timeKeys()).as("no entry by time outlives its journey").isEqualTo(2);
        assertThat(index.newestKeys()).as("one entry by newest step per journey, moved with it").isEqualTo(2);
    }

    @Test
    void aJourneyTheRouterDeadLetteredBeforeItWasReadAsAcceptedLeavesNoEntryBehind() {
        index = JourneyIndex.open(directory.resolve("index"));
        index.add(routerDeadLetter("dead", T0.plusMillis(5)));
        index.add(accepted("dead", T0));
        assertThat(search(index)).as("found once, though indexed at both times").containsExactly("dead");
        assertThat(index.eventIdsWithDeadLetter()).containsExactly("dead");

        index.forget(T0.plus(Duration.ofHours(1)));

        assertThat(index.size()).isZero();
        assertThat(index.timeKeys()).isZero();
        assertThat(index.newestKeys()).isZero();
        assertThat(index.eventIdsWithDeadLetter()).isEmpty();
    }

    @Test
    void searchesByTypeAccountAndTimeAndCountsTheAcceptedByType() {
        index = JourneyIndex.open(directory.resolve("index"));
        for (int i = 0; i < 5; i++) {
            index.add(accepted("e" + i, T0.plusSeconds(i)));
        }
        index.add(new Step(Kind.ACCEPTED, "raw/1@x", "x", T0.plusSeconds(10), "trial-period-ending", List.of("7"), "raw", 1,
                "{}", null, null, null, null, null, null, null, null, null, null));
        index.add(routerDeadLetter("unread", T0.plusSeconds(11)));
        index.add(accepted("e0", T0));

        assertThat(index.search(new JourneyIndex.Criteria("spot-rollback", null, T0.plusSeconds(1), T0.plusSeconds(3), 10)))
                .extracting(Journey::eventId).containsExactly("e3", "e2", "e1");
        assertThat(index.search(new JourneyIndex.Criteria(null, "7", null, null, 10))).extracting(Journey::eventId)
                .containsExactly("x");
        assertThat(search(index)).hasSize(7).startsWith("unread", "x", "e4");
        assertThat(index.search(new JourneyIndex.Criteria(null, null, null, null, 2))).hasSize(2);
        assertThat(index.acceptedByType(T0)).containsExactly(Map.entry("spot-rollback", 5L), Map.entry("trial-period-ending", 1L));
        assertThat(index.acceptedByType(T0.plusSeconds(4))).containsExactly(Map.entry("spot-rollback", 1L),
                Map.entry("trial-period-ending", 1L));
        assertThat(index.journey("e0")).get().extracting(j -> j.steps().size()).as("a record read twice is one step").isEqualTo(1);
        assertThat(index.size()).isEqualTo(7);
    }

    @Test
    void aJourneyReadsBackFieldForFieldWithTheDeliveryAReplayWritesBack() {
        index = JourneyIndex.open(directory.resolve("index"));
        DeliveryHeaders headers = new DeliveryHeaders("e1/slack/ops", "e1", "spot-rollback", "ops", "slack", "ops",
                "https://hooks.slack.com/services/…", 3, null, T0, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "Slack answered 500 <script>");
        byte[] body = "{\"type\":\"spot-rollback\",\"note\":\"ü — <b>\"}".getBytes(StandardCharsets.UTF_8);
        Step dead = new Step(Kind.DELIVERY_DEAD_LETTER, "dlq/2@9", "e1", T0.plusNanos(123_456_789), "spot-rollback", null,
                "dlq", 2, null, Map.of("herald_error", "Slack answered 500 <script>", "empty", ""), "e1/slack/ops", "ops",
                "slack", "https://hooks.slack.com/services/…", 3, null, "Slack answered 500 <script>", T0.plusSeconds(30),
                new StoredDelivery(headers, body));
        Step accepted = new Step(Kind.ACCEPTED, "raw/0@1", "e1", T0, "spot-rollback", List.of("1", "2"), "raw", 0,
                "x".repeat(100_000), Map.of("ce_id", "e1"), null, null, null, null, null, null, null, null, null);
        index.add(accepted);
        index.add(dead);

        Journey read = index.journey("e1").orElseThrow();

        assertThat(read.steps()).hasSize(2);
        assertThat(read.steps().get(0)).isEqualTo(accepted);
        Step back = read.steps().get(1);
        assertThat(back).usingRecursiveComparison().ignoringFields("stored").isEqualTo(dead);
        assertThat(back.stored().headers()).isEqualTo(headers);
        assertThat(back.stored().body()).isEqualTo(body);
    }

    @Test
    void aDirectoryInUseIsRefusedAndOneLeftBehindIsEmptied() throws Exception {
        Path dir = directory.resolve("index");
        index = JourneyIndex.open(dir);
        index.add(accepted("e1", T0));

        assertThatThrownBy(() -> JourneyIndex.open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another console");
        assertThat(index.journey("e1")).as("the index in use is left as it was").isPresent();

        index.close();
        assertThat(dir).doesNotExist();

        // What a console killed mid-run leaves: an index, its lock file included, that nobody holds any more.
        JourneyIndex killed = JourneyIndex.open(dir);
        killed.add(accepted("e2", T0));
        killed.flush();
        java.nio.file.Path copy = directory.resolve("killed");
        try (var files = Files.walk(dir)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(dir.relativize(file).toString()));
            }
        }
        killed.close();
        Files.move(copy, dir);
        assertThat(dir.resolve("rocksdb/LOCK")).exists();
        index = JourneyIndex.open(dir);
        assertThat(index.size()).isZero();
        assertThat(index.journey("e2")).as("emptied").isEmpty();

        Path foreign = Files.createDirectories(directory.resolve("somebody-elses"));
        Files.writeString(foreign.resolve("notes.txt"), "not an index");
        assertThatThrownBy(() -> JourneyIndex.open(foreign)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a journey index");
        assertThat(foreign.resolve("notes.txt")).as("a directory that is not an index is never emptied").exists();
        Path file = Files.writeString(directory.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> JourneyIndex.open(file)).isInstanceOf(IllegalStateException.class);
        assertThat(file).exists();
        assertThatThrownBy(() -> {
            JourneyIndex closed = JourneyIndex.open(directory.resolve("other"));
            closed.close();
            closed.journey("e1");
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void beyondItsBudgetTheJourneysThatMovedLeastRecentlyGoFirstAndThoseWithADeadLetterLast() {
        index = JourneyIndex.open(directory.resolve("index"));
        index.add(routerDeadLetter("dead", T0));
        long acceptedOnly = 0;
        for (int i = 0; i < 5; i++) {
            long before = index.storedBytes();
            index.add(accepted("e" + i, T0.plusSeconds(1 + i)));
            acceptedOnly = index.storedBytes() - before;
        }
        index.add(attempt("e0", T0.plusSeconds(60)));

        int forgotten = index.forgetToFit(index.storedBytes() - 2 * acceptedOnly);

        assertThat(forgotten).isEqualTo(2);
        assertThat(search(index)).as("e1 and e2 moved least recently; e0, accepted first, moved last").containsExactly("e4", "e3", "e0", "dead");
        assertThat(index.forgetToFit(0)).as("at last, the dead letters too").isEqualTo(4);
        assertThat(index.size()).isZero();
        assertThat(index.storedBytes()).isZero();
        assertThat(index.timeKeys()).isZero();
        assertThat(index.newestKeys()).isZero();
    }

    @Test
    void aJourneyLetGoWhileMarkedTakesNoLaterStepUntilTheMarksAreCleared() {
        index = JourneyIndex.open(directory.resolve("index"));
        index.add(accepted("early", T0));
        index.add(accepted("late", T0.plusSeconds(10)));

        assertThat(index.forgetToFit(index.storedBytes() - 1, true)).isEqualTo(1);
        // The first read goes on: a later step of the journey let go would make a fragment of it.
        index.add(attempt("early", T0.plusSeconds(20)));
        assertThat(index.journey("early")).isEmpty();

        index.clearMarks();
        index.add(attempt("early", T0.plusSeconds(30)));
        assertThat(index.journey("early")).as("after the first read, steps are taken again").isPresent();
        assertThat(index.journey("late")).isPresent();
    }

    @Test
    void aCopySentWithoutAnIdNamesTheRoutedEventOfItsBodyWithinTheRoutersWindowUntilEitherIsLetGo() {
        Duration window = Duration.ofMinutes(10);
        index = JourneyIndex.open(directory.resolve("index"));
        index.add(acceptedBody("first", T0, "generated", "a".repeat(64)));
        index.add(acceptedBody("copy", T0.plusSeconds(5), "generated", "a".repeat(64)));
        index.add(acceptedBody("other", T0.plusSeconds(6), "generated", "b".repeat(64)));
        index.add(acceptedBody("sender-id", T0.plusSeconds(7), "sender", "a".repeat(64)));
        // The same bytes an hour later are another event to the router (a schedule's report, say): it routes them.
        index.add(acceptedBody("an-hour-later", T0.plus(Duration.ofHours(1)), "generated", "a".repeat(64)));
        assertThat(index.routedCopyOf(index.journey("copy").orElseThrow(), window)).as("nothing routed yet").isEmpty();

        index.add(routed("first", T0.plusMillis(20)));

        Journey copy = index.journey("copy").orElseThrow();
        assertThat(index.routedCopyOf(copy, window)).contains("first");
        assertThat(copy.whereNow(index.routedCopyOf(copy, window).orElse(null)))
                .startsWith("accepted, not routed: a copy of first");
        assertThat(index.routedCopyOf(index.journey("first").orElseThrow(), window)).as("routed itself").isEmpty();
        assertThat(index.routedCopyOf(index.journey("other").orElseThrow(), window)).as("another body").isEmpty();
        assertThat(index.routedCopyOf(index.journey("sender-id").orElseThrow(), window))
                .as("a sender's id is deduplicated by id, not by body").isEmpty();
        assertThat(index.routedCopyOf(index.journey("an-hour-later").orElseThrow(), window))
                .as("outside the router's window: not routed yet, not a copy").isEmpty();

        index.forget(T0.plusSeconds(1));
        assertThat(index.routedCopyOf(copy, window)).as("the routed one let go").isEmpty();
        index.forget(T0.plus(Duration.ofHours(2)));
        assertThat(index.size()).isZero();
        assertThat(index.bodyKeys()).as("no entry by body outlives its journey").isZero();
    }

    private static Step acceptedBody(String eventId, Instant at, String idSource, String sha256) {
        return new Step(Kind.ACCEPTED, "raw/0@" + eventId, eventId, at, "trial-period-ending", List.of(), "raw", 0, "{}",
                Map.of("herald_id_source", idSource, "herald_body_sha256", sha256), null, null, null, null, null, null,
                null, null, null);
    }

    private static Step routed(String eventId, Instant at) {
        return new Step(Kind.ROUTED, "events/0@" + eventId, eventId, at, "trial-period-ending", null,
                "uniskai.events.trial-period-ending", 0, null, null, null, null, null, null, null, null, null, null, null);
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
