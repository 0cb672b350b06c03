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

    /** Deliveries waiting for a retry, one record per (event, channel, destination). */
    public String deliveryRetries() {
        return prefix + ".notifier.retry";
    }

    /** Deliveries that failed for good. */
    public String notifierDeadLetter() {
        return prefix + ".notifier.dlq";
    }

    /** Every delivery attempt's result, keyed by event id. */
    public String outcomes() {
        return prefix + ".notifier.outcomes";
    }

    /** Deliveries that were sent, keyed by delivery id (compacted): what makes a redelivered event send nothing twice. */
    public String sentDeliveries() {
        return prefix + ".notifier.sent";
    }

    /** Every topic Herald uses, for topic-init steps. */
    public List<String> all() {
        List<String> topics = new ArrayList<>();
        topics.add(raw());
        topics.addAll(eventTopics());
        topics.add(routerDeadLetter());
        topics.add(routerRekeyed());
        topics.add(deliveryRetries());
        topics.add(notifierDeadLetter());
        topics.add(outcomes());
        topics.add(sentDeliveries());
        return List.copyOf(topics);
    }
}
