package dev.herald.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Herald's topic names, all under one prefix ({@code uniskai} by default, {@code herald.topic-prefix}).
 * The notifier's own topics live here too, so that topic-init steps can list every topic from one place.
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "uniskai";
    /** The per-type topic of events whose type is not documented. */
    public static final String UNKNOWN = "unknown";

    public Topics {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("topic prefix must not be blank");
        }
    }

    public static Topics withDefaultPrefix() {
        return new Topics(DEFAULT_PREFIX);
    }

    /** Every accepted webhook, as received. */
    public String raw() {
        return prefix + ".webhooks.raw";
    }

    /** Raw records the router could not process. */
    public String routerDeadLetter() {
        return prefix + ".webhooks.dlq";
    }

    /**
     * Raw records the router wrote again under their {@link RawRecordKey}, because they arrived under another key:
     * read back beside the raw topic, so that every copy of an event meets in one task. It must have as many
     * partitions as the raw topic.
     */
    public String routerRekeyed() {
        return prefix + ".router.rekeyed";
    }

    /** The per-type topic of a type name: its own for a documented type, the unknown topic otherwise. */
    public String forType(String typeName) {
        return EventType.byName(typeName).map(this::forType).orElseGet(this::unknownEvents);
    }

    public String forType(EventType type) {
        return prefix + ".events." + type.typeName();
    }

    public String unknownEvents() {
        return prefix + ".events." + UNKNOWN;
    }

    /** The per-type topics, documented types first, then the unknown topic. */
    public List<String> eventTopics() {
        List<String> topics = new ArrayList<>(Arrays.stream(EventType.values()).map(this::forType).toList());
        topics.add(unknownEvents());
        return List.copyOf(topics);
    }

    /**
     * Partitions of {@link #deliveries()} and {@link #deliveriesDone()}: the two are co-partitioned (a delivery's done
     * mark is written to the partition number of its delivery record), so both must be created with this count.
     */
    public static final int DELIVERY_PARTITIONS = 12;

    /**
     * One record per (event, destination), keyed by destination, so one consumer at a time owns each destination and
     * paces it; the value is the event's original body, the delivery's facts are headers ({@link DeliveryHeaders}).
     * A delivery due for another attempt is written here again with its attempt and not-before time.
     */
    public String deliveries() {
        return prefix + ".notifier.deliveries";
    }

    /**
     * Which delivery records are done (sent, folded, retried, dead-lettered): one mark per record, on the partition
     * number of the record, so a new owner of a partition reads only that partition's marks.
     */
    public String deliveriesDone() {
        return prefix + ".notifier.done";
    }

    /** Deliveries that failed for good, and records the notifier could not read: the body as received, the reason in {@code herald_error}. */
    public String notifierDeadLetter() {
        return prefix + ".notifier.dlq";
    }

    /** Every delivery attempt's result, keyed by event id. */
    public String outcomes() {
        return prefix + ".notifier.outcomes";
    }


    /** Every topic Herald uses, for topic-init steps. */
    public List<String> all() {
        List<String> topics = new ArrayList<>();
        topics.add(raw());
        topics.addAll(eventTopics());
        topics.add(routerDeadLetter());
        topics.add(routerRekeyed());
        topics.add(deliveries());
        topics.add(notifierDeadLetter());
        topics.add(outcomes());
        topics.add(deliveriesDone());
        return List.copyOf(topics);
    }
}
