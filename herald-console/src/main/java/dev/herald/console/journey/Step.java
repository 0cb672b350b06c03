package dev.herald.console.journey;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One thing that happened to an event, read from one record of one of Herald's topics. Flat, with the fields each kind
 * uses set and the others null, so it reads the same in the JSON answers as on the page.
 *
 * @param source topic/partition@offset of the record it was read from: a record read twice is one step
 * @param deliveryRecord the notifier's stored delivery (dead letters only): what a replay sends back
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
        String channel,
        String destination,
        Integer attempt,
        String outcome,
        String reason,
        Instant notBefore,
        String deliveryRecord) {

    public enum Kind {
        /** On the raw topic: the ingest accepted it. */
        ACCEPTED,
        /** On a per-type topic (or the unknown one): the router routed it. */
        ROUTED,
        /** On the router's dead-letter topic. */
        ROUTER_DEAD_LETTER,
        /** On the outcomes topic: one delivery attempt (or a replay) and its result. */
        ATTEMPT,
        /** On the retry topic: a delivery waiting for its next attempt. */
        RETRY_SCHEDULED,
        /** On the notifier's dead-letter topic. */
        DELIVERY_DEAD_LETTER
    }
}
