package dev.herald.console.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.console.journey.DeliveryJourney.State;
import dev.herald.console.journey.Step.Kind;
import dev.herald.events.DeliveryHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneyTest {

    private static final Instant T0 = Instant.parse("2026-11-28T08:00:00Z");
    private static final DeliveryHeaders DELIVERY = new DeliveryHeaders("e1/slack/k", "e1", "spot-recreated", "finops",
            "slack", "k", "https://hooks.slack.com/…", 1, null, T0, null, null);

    @Test
    void aRecordReadTwiceIsOneStep() {
        Journey journey = Journey.of("e1").with(accepted()).with(accepted());
        assertThat(journey.steps()).hasSize(1);
    }

    @Test
    void stepsAreInTheOrderTheyHappenedWhateverTheOrderTheyWereRead() {
        Journey journey = Journey.of("e1").with(attempt(3, "sent", 1)).with(routed()).with(accepted());
        assertThat(journey.steps()).extracting(Step::kind).containsExactly(Kind.ACCEPTED, Kind.ROUTED, Kind.ATTEMPT);
    }

    @Test
    void aDeliveryIsQueuedThenWaitsForItsRetryThenIsDeadThenReplayedThenSent() {
        Journey journey = Journey.of("e1").with(accepted()).with(routed()).with(queued(2));
        assertThat(journey.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.state()).isEqualTo(State.QUEUED);
            assertThat(d.route()).isEqualTo("finops");
        });
        assertThat(journey.whereNow()).isEqualTo("1 queued for delivery");

        journey = journey.with(attempt(3, "retrying", 1)).with(retry(3, T0.plusSeconds(60)));
        assertThat(journey.deliveries()).singleElement().satisfies(d -> {
            assertThat(d.state()).isEqualTo(State.WAITING_FOR_RETRY);
            assertThat(d.where()).isEqualTo("waiting for retry until 2026-11-28T08:01:00Z");
            assertThat(d.lastError()).isEqualTo("Slack answered 500");
        });

        journey = journey.with(attempt(70, "dead", 2)).with(deadLetter(71));
        assertThat(journey.deliveries().get(0).state()).isEqualTo(State.DEAD);
        assertThat(journey.deliveries().get(0).deadLetter()).hasValueSatisfying(stored -> {
            assertThat(stored.headers().destinationKey()).isEqualTo("k");
            assertThat(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"spot-recreated\"}");
        });
        assertThat(journey.whereNow()).isEqualTo("1 dead");

        // The replay's outcome is timed before its record on the deliveries topic: that record adds nothing.
        journey = journey.with(attempt(80, "replayed", 0)).with(queued(81));
        assertThat(journey.deliveries().get(0).state()).isEqualTo(State.REPLAYED);

        journey = journey.with(attempt(90, "sent", 1));
        assertThat(journey.deliveries().get(0).state()).isEqualTo(State.SENT);
        assertThat(journey.whereNow()).isEqualTo("1 sent");
    }

    @Test
    void anEventTheRouterDeadLetteredSaysWhy() {
        Journey journey = Journey.of("e1").with(new Step(Kind.ROUTER_DEAD_LETTER, "dlq/0@1", "e1", T0, null, null,
                "uniskai.webhooks.dlq", 0, "{", null, null, null, null, null, null, null, "malformed-body: not JSON", null,
                null));
        assertThat(journey.whereNow()).isEqualTo("dead-lettered by the router: malformed-body: not JSON");
    }

    @Test
    void aRecordTheNotifierCouldNotReadIsNoDeliveryAndSaysWhy() {
        Journey journey = Journey.of("e1").with(accepted()).with(routed()).with(new Step(Kind.DELIVERY_DEAD_LETTER,
                "ndlq/0@1", "e1", T0.plusSeconds(2), "spot-recreated", null, "uniskai.notifier.dlq", 0, "{", null, null,
                null, null, null, null, null, "unreadable: not JSON", null, null));

        assertThat(journey.deliveries()).isEmpty();
        assertThat(journey.unreadableByNotifier()).isPresent();
        assertThat(journey.whereNow()).isEqualTo("dead-lettered by the notifier: unreadable: not JSON");
    }

    private static Step accepted() {
        return new Step(Kind.ACCEPTED, "raw/0@1", "e1", T0, "spot-recreated", List.of("acct"), "uniskai.webhooks.raw", 0,
                "{}", null, null, null, null, null, null, null, null, null, null);
    }

    private static Step routed() {
        return new Step(Kind.ROUTED, "spot/0@1", "e1", T0.plusSeconds(1), "spot-recreated", null,
                "uniskai.events.spot-recreated", 0, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Step attempt(int second, String outcome, int attempt) {
        return new Step(Kind.ATTEMPT, "outcomes/0@" + second, "e1", T0.plusSeconds(second), "spot-recreated", null,
                "uniskai.notifier.outcomes", 0, null, null, "e1/slack/k", "finops", "slack", "https://hooks.slack.com/…",
                attempt, outcome, outcome.equals("sent") || outcome.equals("replayed") ? null : "Slack answered 500", null,
                null);
    }

    private static Step queued(int second) {
        return new Step(Kind.QUEUED, "deliveries/0@" + second, "e1", T0.plusSeconds(second), "spot-recreated", null,
                "uniskai.notifier.deliveries", 0, null, null, "e1/slack/k", "finops", "slack", "https://hooks.slack.com/…",
                1, null, null, null, null);
    }

    private static Step retry(int second, Instant notBefore) {
        return new Step(Kind.RETRY_SCHEDULED, "deliveries/0@" + second, "e1", T0.plusSeconds(second), "spot-recreated",
                null, "uniskai.notifier.deliveries", 0, null, null, "e1/slack/k", "finops", "slack",
                "https://hooks.slack.com/…", 2, null, "Slack answered 500", notBefore, null);
    }

    private static Step deadLetter(int second) {
        DeliveryHeaders dead = DELIVERY.nextAttempt(T0.plusSeconds(60), "Slack answered 500").withError("gave up");
        return new Step(Kind.DELIVERY_DEAD_LETTER, "dlq/0@" + second, "e1", T0.plusSeconds(second), "spot-recreated",
                null, "uniskai.notifier.dlq", 0, null, null, "e1/slack/k", "finops", "slack", "https://hooks.slack.com/…",
                2, null, "gave up", null,
                new StoredDelivery(dead, "{\"type\":\"spot-recreated\"}".getBytes(StandardCharsets.UTF_8)));
    }
}
