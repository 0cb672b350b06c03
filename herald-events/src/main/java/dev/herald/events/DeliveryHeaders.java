package dev.herald.events;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The facts of one delivery (one event to one destination), as Kafka headers on the notifier's deliveries and
 * dead-letter topics. The record's value is the event's body as received, so a delivery record is never larger than
 * its event; the destination's address is not here (a Slack webhook URL is a secret), only its key and a redacted
 * label: the notifier looks the address up in its routes file by key.
 *
 * <p>The notifier writes these records and the console reads and replays them: both go through this class.
 *
 * @param deliveryId stable across attempts: {@code <event id>/<channel>/<destination key>}
 * @param route the first route that sent the event to this destination
 * @param attempt 1 for the first attempt
 * @param notBefore when the attempt may start ({@link Instant#EPOCH}: at once)
 * @param receivedAt the ingest's receive time ({@code ce_time}), for end-to-end latency; may be null
 * @param error why the last attempt failed, or why the record is dead-lettered; may be null
 */
public record DeliveryHeaders(
        String deliveryId,
        String eventId,
        String type,
        String route,
        String channel,
        String destinationKey,
        String destination,
        int attempt,
        Instant notBefore,
        Instant receivedAt,
        String traceparent,
        String error) {

    public static final String DELIVERY_ID = "herald_delivery_id";
    public static final String ROUTE = "herald_route";
    public static final String CHANNEL = "herald_channel";
    public static final String DESTINATION_KEY = "herald_destination_key";
    public static final String DESTINATION = "herald_destination";
    public static final String ATTEMPT = "herald_attempt";
    public static final String NOT_BEFORE = "herald_not_before";
    /** Why the last attempt failed; on the dead-letter topic, why the record is there. Also the router's error header. */
    public static final String ERROR = "herald_error";

    /** An error text is kept to this many characters, so a record stays the size of its event. */
    public static final int MAX_ERROR_CHARS = 1000;

    public DeliveryHeaders {
        require(deliveryId, "deliveryId");
        require(eventId, "eventId");
        require(type, "type");
        require(channel, "channel");
        require(destinationKey, "destinationKey");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
        notBefore = notBefore == null ? Instant.EPOCH : notBefore;
        route = route == null ? "" : route;
        destination = destination == null ? "" : destination;
        error = error == null ? null : error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "…" : error;
    }

    /** The next attempt of this delivery, not before {@code notBefore}, after {@code error}. */
    public DeliveryHeaders nextAttempt(Instant notBefore, String error) {
        return new DeliveryHeaders(deliveryId, eventId, type, route, channel, destinationKey, destination, attempt + 1,
                notBefore, receivedAt, traceparent, error);
    }

    public DeliveryHeaders withError(String error) {
        return new DeliveryHeaders(deliveryId, eventId, type, route, channel, destinationKey, destination, attempt,
                notBefore, receivedAt, traceparent, error);
    }

    /** Due now, first attempt again: what a replay of a dead letter writes. */
    public DeliveryHeaders replayed() {
        return new DeliveryHeaders(deliveryId, eventId, type, route, channel, destinationKey, destination, 1,
                Instant.EPOCH, receivedAt, traceparent, null);
    }

    /** The headers in write order; absent values are left out. */
    public Map<String, String> toMap() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(DELIVERY_ID, deliveryId);
        headers.put(EventHeaders.CE_ID, eventId);
        headers.put(EventHeaders.CE_TYPE, type);
        headers.put(ROUTE, route);
        headers.put(CHANNEL, channel);
        headers.put(DESTINATION_KEY, destinationKey);
        headers.put(DESTINATION, destination);
        headers.put(ATTEMPT, String.valueOf(attempt));
        if (!Instant.EPOCH.equals(notBefore)) {
            headers.put(NOT_BEFORE, notBefore.toString());
        }
        if (receivedAt != null) {
            headers.put(EventHeaders.CE_TIME, receivedAt.toString());
        }
        if (traceparent != null) {
            headers.put(EventHeaders.TRACEPARENT, traceparent);
        }
        if (error != null) {
            headers.put(ERROR, error);
        }
        return headers;
    }

    /**
     * Reads the headers back; {@code header} answers a header's last value or null.
     *
     * @return empty when a required header is missing or malformed (the caller dead-letters such a record)
     */
    public static Optional<DeliveryHeaders> from(Function<String, String> header) {
        try {
            String attempt = header.apply(ATTEMPT);
            return Optional.of(new DeliveryHeaders(header.apply(DELIVERY_ID), header.apply(EventHeaders.CE_ID),
                    header.apply(EventHeaders.CE_TYPE), header.apply(ROUTE), header.apply(CHANNEL),
                    header.apply(DESTINATION_KEY), header.apply(DESTINATION),
                    attempt == null ? 0 : Integer.parseInt(attempt.trim()), instant(header.apply(NOT_BEFORE)),
                    instant(header.apply(EventHeaders.CE_TIME)), header.apply(EventHeaders.TRACEPARENT),
                    header.apply(ERROR)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** How long this delivery has waited since the ingest received its event, if known. */
    public Optional<Duration> age(Instant now) {
        return receivedAt == null ? Optional.empty() : Optional.of(Duration.between(receivedAt, now));
    }

    private static Instant instant(String text) {
        return text == null || text.isBlank() ? null : InstantText.parse(text.trim());
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is missing");
        }
    }
}
