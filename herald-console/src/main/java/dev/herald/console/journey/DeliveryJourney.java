package dev.herald.console.journey;

import dev.herald.console.journey.Step.Kind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery of an event (to one destination on one channel, for the route that sent it there): its attempts, and
 * where it is now.
 */
public record DeliveryJourney(String deliveryId, String route, String channel, String destination, List<Step> steps,
        State state, Instant retryAt, String lastError) {

    /** Outcome values the notifier writes, and the console's own for a replay. */
    public static final String SENT = "sent";
    public static final String RETRYING = "retrying";
    public static final String DEAD = "dead";
    public static final String REPLAYED = "replayed";

    public enum State {
        SENT("sent"),
        QUEUED("queued for delivery"),
        WAITING_FOR_RETRY("waiting for retry"),
        DEAD("dead"),
        REPLAYED("replayed, waiting for the notifier"),
        IN_PROGRESS("in progress");

        public final String label;

        State(String label) {
            this.label = label;
        }
    }

    static DeliveryJourney of(String deliveryId, List<Step> steps) {
        Step any = steps.get(0);
        String route = steps.stream().map(Step::route).filter(Objects::nonNull).findFirst().orElse(null);
        String channel = steps.stream().map(Step::channel).filter(Objects::nonNull).findFirst().orElse(any.channel());
        String destination = steps.stream().map(Step::destination).filter(Objects::nonNull).findFirst().orElse(null);
        String lastError = steps.stream().map(Step::reason).filter(Objects::nonNull).reduce((a, b) -> b).orElse(null);
        // A queued record adds nothing once something else happened (a replay's comes just after its outcome).
        Step last = steps.stream().filter(s -> s.kind() != Kind.QUEUED).reduce((a, b) -> b).orElse(null);
        Instant retryAt = null;
        State state;
        if (steps.stream().anyMatch(s -> s.kind() == Kind.ATTEMPT && SENT.equals(s.outcome()))) {
            state = State.SENT;
        } else if (last == null) {
            state = State.QUEUED;
        } else if (last.kind() == Kind.DELIVERY_DEAD_LETTER || last.kind() == Kind.ATTEMPT && DEAD.equals(last.outcome())) {
            state = State.DEAD;
        } else if (last.kind() == Kind.ATTEMPT && REPLAYED.equals(last.outcome())) {
            state = State.REPLAYED;
        } else if (last.kind() == Kind.RETRY_SCHEDULED || last.kind() == Kind.ATTEMPT && RETRYING.equals(last.outcome())) {
            state = State.WAITING_FOR_RETRY;
            retryAt = steps.stream().filter(s -> s.kind() == Kind.RETRY_SCHEDULED).map(Step::notBefore)
                    .filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
        } else {
            state = State.IN_PROGRESS;
        }
        return new DeliveryJourney(deliveryId, route, channel, destination, List.copyOf(steps), state, retryAt, lastError);
    }

    /** The delivery as its latest dead letter stored it: what a replay writes back to the deliveries topic. */
    public Optional<StoredDelivery> deadLetter() {
        return steps.stream().filter(s -> s.kind() == Kind.DELIVERY_DEAD_LETTER).map(Step::stored)
                .filter(Objects::nonNull).reduce((a, b) -> b);
    }

    /** Why it was dead-lettered, as its latest dead letter says. */
    public String deadLetterReason() {
        return steps.stream().filter(s -> s.kind() == Kind.DELIVERY_DEAD_LETTER).map(Step::reason)
                .reduce((a, b) -> b).orElse(null);
    }

    public String where() {
        return state == State.WAITING_FOR_RETRY && retryAt != null ? state.label + " until " + retryAt : state.label;
    }
}
