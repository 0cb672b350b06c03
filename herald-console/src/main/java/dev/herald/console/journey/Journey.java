package dev.herald.console.journey;

import dev.herald.console.journey.Step.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything Herald's topics say about one event, in the order it happened. */
public record Journey(String eventId, List<Step> steps) {

    private static final Comparator<Step> IN_ORDER = Comparator.comparing(Step::at, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Step::kind);

    public Journey {
        steps = List.copyOf(steps);
    }

    public static Journey of(String eventId) {
        return new Journey(eventId, List.of());
    }

    /** This journey with one more step; the same journey when that record was read before. */
    public Journey with(Step step) {
        if (steps.stream().anyMatch(s -> s.source().equals(step.source()))) {
            return this;
        }
        List<Step> more = new ArrayList<>(steps);
        more.add(step);
        more.sort(IN_ORDER);
        return new Journey(eventId, more);
    }

    public Optional<Step> accepted() {
        return first(Kind.ACCEPTED);
    }

    public Optional<Step> routed() {
        return first(Kind.ROUTED);
    }

    public Optional<Step> routerDeadLetter() {
        return first(Kind.ROUTER_DEAD_LETTER);
    }

    /** A record of this event that the notifier dead-lettered without reading it as a delivery. */
    public Optional<Step> unreadableByNotifier() {
        return steps.stream().filter(s -> s.kind() == Kind.DELIVERY_DEAD_LETTER && s.deliveryId() == null).findFirst();
    }

    public String type() {
        return steps.stream().map(Step::type).filter(t -> t != null).findFirst().orElse(null);
    }

    public List<String> accountIds() {
        return accepted().map(Step::accountIds).orElse(List.of());
    }

    /** Each delivery (one event to one destination) with its attempts, in the order they started. */
    public List<DeliveryJourney> deliveries() {
        Map<String, List<Step>> byDelivery = new LinkedHashMap<>();
        for (Step step : steps) {
            if (step.deliveryId() != null) {
                byDelivery.computeIfAbsent(step.deliveryId(), id -> new ArrayList<>()).add(step);
            }
        }
        return byDelivery.entrySet().stream().map(e -> DeliveryJourney.of(e.getKey(), e.getValue())).toList();
    }

    /**
     * Where the event is now, in a sentence, when {@code routedCopy} (see {@link JourneyIndex#routedCopyOf}) is the
     * event the router routed in its place, or null.
     */
    public String whereNow(String routedCopy) {
        if (routedCopy != null && routed().isEmpty() && routerDeadLetter().isEmpty()) {
            return "accepted, not routed: a copy of " + routedCopy + " (the same body, sent without an id, within the"
                    + " router's body window), which the router routed; it drops the copies";
        }
        return whereNow();
    }

    /** Where the event is now, in a sentence. */
    public String whereNow() {
        if (routerDeadLetter().isPresent()) {
            return "dead-lettered by the router: " + routerDeadLetter().get().reason();
        }
        List<DeliveryJourney> deliveries = deliveries();
        if (deliveries.isEmpty() && unreadableByNotifier().isPresent()) {
            return "dead-lettered by the notifier: " + unreadableByNotifier().get().reason();
        }
        if (accepted().isEmpty() && routed().isEmpty()) {
            return "not on the raw topic (any more)";
        }
        if (routed().isEmpty()) {
            return "accepted, not routed yet";
        }
        if (deliveries.isEmpty()) {
            return "routed to " + routed().get().topic() + ", no delivery recorded yet";
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        deliveries.forEach(d -> counts.merge(d.state().label, 1L, Long::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((state, count) -> parts.add(count + " " + state));
        return String.join(", ", parts);
    }

    /** When it was accepted; else when anything was first seen of it. */
    public Instant since() {
        return accepted().map(Step::at).orElseGet(() -> steps.isEmpty() ? null : steps.get(0).at());
    }

    private Optional<Step> first(Kind kind) {
        return steps.stream().filter(s -> s.kind() == kind).findFirst();
    }
}
