package dev.herald.console.journey;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One thing that happened to an event, read from one record of one of Herald's topics. Flat, with the fields each kind
 * uses set and the others null, so it reads the same in the JSON answers as on the page.
 *
 * @param source topic/partition@offset of the record it was read from: a record read twice is one step
 * @param route the notifier's route that sent the event to this destination
 * @param stored the notifier's dead-lettered delivery (its dead letters only): what a replay writes back; not in the
 *     JSON answers, which show its facts already
 */
public record Step(
        Kind kind,
        String source,
        String eventId,
        Instant at,
        String type,
        List<String> accountIds,
        String topic,
        Integer partition,
        String body,
        Map<String, String> headers,
        String deliveryId,
        String route,
        String channel,
        String destination,
        Integer attempt,
        String outcome,
        String reason,
        Instant notBefore,
        @JsonIgnore StoredDelivery stored) {

    public enum Kind {
        /** On the raw topic: the ingest accepted it. */
        ACCEPTED,
        /** On a per-type topic (or the unknown one): the router routed it. */
        ROUTED,
        /** On the router's dead-letter topic. */
        ROUTER_DEAD_LETTER,
        /** On the deliveries topic, attempt 1: a delivery waiting for the notifier to send it (again, after a replay). */
        QUEUED,
        /** On the outcomes topic: one delivery attempt (or a replay) and its result. */
        ATTEMPT,
        /** On the deliveries topic, a later attempt: a delivery waiting for its next attempt, after an error. */
        RETRY_SCHEDULED,
        /**
         * On the notifier's dead-letter topic: a delivery that failed for good, or a record the notifier could not read
         * (then with no delivery id).
         */
        DELIVERY_DEAD_LETTER
    }
}
