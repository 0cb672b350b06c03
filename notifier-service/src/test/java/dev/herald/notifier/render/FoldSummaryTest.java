package dev.herald.notifier.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.events.CloudsitterStartStop;
import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.events.ParseOutcome;
import dev.herald.events.SpotRecreated;
import dev.herald.events.TrialPeriodEnding;
import dev.herald.events.UndocumentedEvent;
import dev.herald.events.UniskaiEvent;
import dev.herald.events.WebhookParser;
import dev.herald.notifier.Folds;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FoldSummaryTest {

    @Test
    void oneScheduleStoppingResourcesInSeveralAccountsSaysSoInOneLine() {
        List<CloudsitterStartStop> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // 78 resources per event, over accounts a, b, c; the same resource twice counts once.
            events.add(Folds.stopped("Nightly", List.of("a", "b", "c").get(i % 3), i * 78, 78));
        }
        events.add(Folds.stopped("Nightly", "a", 0, 1));

        FoldSummary summary = FoldSummary.of(Folds.of(events));

        assertThat(summary.headline()).isEqualTo("Schedule 'Nightly' stopped 312 resources in 3 accounts");
        assertThat(summary.total()).isEqualTo(5);
    }

    @Test
    void severalSchedulesStartingAndStoppingAreCountedApart() {
        FoldSummary summary = FoldSummary.of(Folds.of(List.of(Folds.stopped("Nightly", "a", 0, 10),
                Folds.started("Office hours", "b", 100, 5), Folds.started("Office hours", "b", 200, 1))));

        assertThat(summary.headline()).isEqualTo("2 schedules stopped 10 and started 6 resources in 2 accounts");
    }

    @Test
    void spotEventsNameNoAccountSoTheHeadlineCountsRegions() {
        List<SpotRecreated> events = IntStream.range(0, 12)
                .mapToObj(i -> Folds.spotRecreated("i-" + i, List.of("eu-west-1", "us-east-1", "ap-south-1").get(i % 3)))
                .toList();

        assertThat(FoldSummary.of(Folds.of(events)).headline()).isEqualTo("12 spot instances recreated in 3 regions");
    }

    @Test
    void trialsEndingCountTheirAccounts() {
        List<TrialPeriodEnding> events = IntStream.range(0, 5)
                .mapToObj(i -> new TrialPeriodEnding(IntStream.range(0, 5)
                        .mapToObj(j -> new TrialPeriodEnding.Account("Account " + i + j, "acc-" + i + j, "3 days", "Mar 3"))
                        .toList()))
                .toList();

        assertThat(FoldSummary.of(Folds.of(events)).headline()).isEqualTo("Trials ending for 25 accounts");
    }

    @Test
    void undocumentedTypesAreCountedByType() {
        List<UndocumentedEvent> events = IntStream.range(0, 7)
                .mapToObj(i -> new UndocumentedEvent("foo-bar", JsonNodeFactory.instance.objectNode().put("type", "foo-bar")))
                .toList();

        assertThat(FoldSummary.of(Folds.of(events)).headline()).isEqualTo("7 events of type foo-bar");
    }

    @Test
    void listsTheFirstFortyAndSaysHowManyMore() {
        List<SpotRecreated> events = IntStream.range(0, 300).mapToObj(i -> Folds.spotRecreated("i-" + i, "eu-west-1")).toList();

        FoldSummary summary = FoldSummary.of(Folds.of(events));

        assertThat(summary.lines()).hasSize(40)
                .startsWith("Spot instance i-0 recreated in eu-west-1 (event evt-0)")
                .endsWith("Spot instance i-39 recreated in eu-west-1 (event evt-39)");
        assertThat(summary.remainder()).isEqualTo("…and 260 more (300 in all)");
    }

    @Test
    void aFoldListedInFullHasNoRemainder() {
        FoldSummary summary = FoldSummary.of(Folds.of(List.of(Folds.spotRecreated("i-1", "eu-west-1"),
                Folds.spotRecreated("i-2", "eu-west-1"))));

        assertThat(summary.lines()).hasSize(2);
        assertThat(summary.remainder()).isEmpty();
        assertThat(summary.headline()).isEqualTo("2 spot instances recreated in 1 region");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyDocumentedTypeHasAConcreteHeadline(EventType type) {
        UniskaiEvent event = ((ParseOutcome.Parsed) new WebhookParser().parse(DocumentedExamples.of(type))).event();

        String headline = FoldSummary.of(Folds.of(List.of(event, event))).headline();

        assertThat(headline).isNotBlank().doesNotContain("null").containsPattern("\\d");
    }
}
