package dev.herald.console.journey;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

/**
 * Every event's journey by id, and an index of event ids by the time they were accepted, so a search by time range
 * reads only that range. Filled from Herald's topics by {@link TopicFollower}; nothing but Kafka stores it.
 */
public final class JourneyIndex {

    /** A search: every criterion optional. */
    public record Criteria(String type, String account, Instant from, Instant to, int limit) {
    }

    private final Map<String, Journey> journeys = new ConcurrentHashMap<>();
    /** "epoch millis (13 digits)/event id" → event id, for the events seen on the raw topic. */
    private final ConcurrentSkipListMap<String, String> byTime = new ConcurrentSkipListMap<>();

    public void add(Step step) {
        Journey updated = journeys.compute(step.eventId(), (id, journey) -> (journey == null ? Journey.of(id) : journey).with(step));
        if (step.kind() == Step.Kind.ACCEPTED || step.kind() == Step.Kind.ROUTER_DEAD_LETTER && updated.accepted().isEmpty()) {
            byTime.put(timeKey(step.at(), step.eventId()), step.eventId());
        }
    }

    public Optional<Journey> journey(String eventId) {
        return Optional.ofNullable(journeys.get(eventId));
    }

    /** The newest first. */
    public List<Journey> search(Criteria criteria) {
        String from = timeKey(criteria.from() == null ? Instant.EPOCH : criteria.from(), "");
        String to = timeKey(criteria.to() == null ? Instant.now().plus(Duration.ofDays(1)) : criteria.to(), "\uffff");
        Predicate<Journey> matches = journey -> (blank(criteria.type()) || criteria.type().equals(journey.type()))
                && (blank(criteria.account()) || journey.accountIds().contains(criteria.account()));
        List<Journey> found = new ArrayList<>();
        // An event the router dead-lettered may be indexed twice: at its dead letter, read first, and at acceptance.
        Set<String> seen = new HashSet<>();
        for (String eventId : byTime.subMap(from, true, to, true).descendingMap().values()) {
            Journey journey = journeys.get(eventId);
            if (journey != null && matches.test(journey) && seen.add(eventId)) {
                found.add(journey);
                if (found.size() >= criteria.limit()) {
                    break;
                }
            }
        }
        return found;
    }

    /** Events accepted since {@code since}, counted by type. */
    public NavigableMap<String, Long> acceptedByType(Instant since) {
        NavigableMap<String, Long> counts = new TreeMap<>();
        for (String eventId : new HashSet<>(byTime.tailMap(timeKey(since, "")).values())) {
            Journey journey = journeys.get(eventId);
            if (journey != null && journey.accepted().isPresent()) {
                counts.merge(String.valueOf(journey.type()), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Every journey with a dead letter in it. */
    public List<Journey> withDeadLetters() {
        return journeys.values().stream().filter(j -> j.steps().stream().anyMatch(s ->
                s.kind() == Step.Kind.ROUTER_DEAD_LETTER || s.kind() == Step.Kind.DELIVERY_DEAD_LETTER)).toList();
    }

    public int size() {
        return journeys.size();
    }

    /**
     * Forgets what Kafka no longer holds, then what does not fit: the journeys whose newest step is older than
     * {@code before} (null: the topics keep their records for good), then the oldest ones beyond {@code max}. Returns
     * how many were forgotten to fit. Called by the follower's thread; a journey a replay adds to meanwhile stays.
     */
    public int forget(Instant before, int max) {
        if (before != null) {
            for (Journey journey : journeys.values()) {
                if (newest(journey).isBefore(before)) {
                    remove(journey);
                }
            }
        }
        int over = journeys.size() - max;
        if (over <= 0) {
            return 0;
        }
        // Journeys with a dead letter go last: they are what an operator comes to replay.
        List<Journey> oldest = journeys.values().stream().sorted(Comparator.comparing(JourneyIndex::hasDeadLetter)
                .thenComparing(JourneyIndex::newest)).limit(over).toList();
        oldest.forEach(this::remove);
        return oldest.size();
    }

    private void remove(Journey journey) {
        // Only the journey as it was seen: a step added meanwhile (a replay, from a request's thread) keeps it.
        if (!journeys.remove(journey.eventId(), journey)) {
            return;
        }
        for (Step step : journey.steps()) {
            if (step.kind() == Step.Kind.ACCEPTED || step.kind() == Step.Kind.ROUTER_DEAD_LETTER) {
                byTime.remove(timeKey(step.at(), journey.eventId()));
            }
        }
    }

    private static boolean hasDeadLetter(Journey journey) {
        return journey.steps().stream().anyMatch(step -> step.kind() == Step.Kind.DELIVERY_DEAD_LETTER
                || step.kind() == Step.Kind.ROUTER_DEAD_LETTER);
    }

    /** Entries of the index by time (for tests: none may outlive its journey). */
    int timeKeys() {
        return byTime.size();
    }

    /** When the journey last moved: its newest step's time. */
    private static Instant newest(Journey journey) {
        Instant newest = Instant.EPOCH;
        for (Step step : journey.steps()) {
            if (step.at() != null && step.at().isAfter(newest)) {
                newest = step.at();
            }
        }
        return newest;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String timeKey(Instant at, String eventId) {
        return String.format("%013d/%s", Math.max(0, at.toEpochMilli()), eventId);
    }
}
