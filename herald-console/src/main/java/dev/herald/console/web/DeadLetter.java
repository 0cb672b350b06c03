package dev.herald.console.web;

import dev.herald.console.journey.DeliveryJourney;
import dev.herald.console.journey.Journey;
import dev.herald.console.journey.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A dead letter as listed: from the router (a raw record it could not route), or from the notifier (a delivery that
 * failed for good, replayable; or a record it could not read, which is not). {@code id} names it in a replay: the
 * delivery id, or the record's place.
 */
public record DeadLetter(String id, String topic, String eventId, String type, String reason, Instant at, String age,
        String route, String channel, String destination, boolean replayable) {

    /** The dead letters of one journey that are still dead (a replayed or since-sent delivery is not). */
    static List<DeadLetter> of(Journey journey, Instant now) {
        List<DeadLetter> letters = new ArrayList<>();
        journey.routerDeadLetter().or(journey::unreadableByNotifier).ifPresent(step -> letters.add(new DeadLetter(
                step.source(), step.topic(), journey.eventId(), journey.type(), step.reason(), step.at(),
                age(step.at(), now), null, null, null, false)));
        for (DeliveryJourney delivery : journey.deliveries()) {
            if (delivery.state() == DeliveryJourney.State.DEAD && delivery.deadLetter().isPresent()) {
                Step letter = delivery.steps().stream().filter(step -> step.kind() == Step.Kind.DELIVERY_DEAD_LETTER)
                        .reduce((first, second) -> second).orElseThrow();
                letters.add(new DeadLetter(delivery.deliveryId(), letter.topic(), journey.eventId(), journey.type(),
                        letter.reason(), letter.at(), age(letter.at(), now), delivery.route(), delivery.channel(),
                        delivery.destination(), true));
            }
        }
        return letters;
    }

    static String age(Instant at, Instant now) {
        if (at == null) {
            return "";
        }
        Duration age = Duration.between(at, now);
        if (age.toDays() > 0) {
            return age.toDays() + "d " + age.toHoursPart() + "h";
        }
        if (age.toHours() > 0) {
            return age.toHours() + "h " + age.toMinutesPart() + "m";
        }
        return age.toMinutes() > 0 ? age.toMinutes() + "m " + age.toSecondsPart() + "s" : Math.max(0, age.toSeconds()) + "s";
    }
}
