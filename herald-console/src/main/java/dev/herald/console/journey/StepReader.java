package dev.herald.console.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.console.journey.Step.Kind;
import dev.herald.events.EventHeaders;
import dev.herald.events.ParseOutcome;
import dev.herald.events.Topics;
import dev.herald.events.WebhookParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Turns a record of one of Herald's topics into the step of an event's journey it stands for. */
public final class StepReader {

    /** The router's dead-letter headers (router-service's RawWebhookRouter writes them). */
    static final String ERROR = "herald_error";
    static final String ERROR_DETAIL = "herald_error_detail";

    private final Topics topics;
    private final List<String> eventTopics;
    private final int maxBodyChars;
    private final ObjectMapper mapper;
    private final WebhookParser parser = new WebhookParser();

    public StepReader(Topics topics, int maxBodyChars, ObjectMapper mapper) {
        this.topics = topics;
        this.eventTopics = topics.eventTopics();
        this.maxBodyChars = maxBodyChars;
        this.mapper = mapper;
    }

    /** The topics the console follows. */
    public List<String> followed() {
        List<String> followed = new java.util.ArrayList<>();
        followed.add(topics.raw());
        followed.addAll(eventTopics);
        followed.add(topics.routerDeadLetter());
        followed.add(topics.outcomes());
        followed.add(topics.deliveryRetries());
        followed.add(topics.notifierDeadLetter());
        return List.copyOf(followed);
    }

    public Optional<Step> read(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        String source = topic + "/" + record.partition() + "@" + record.offset();
        Instant timestamp = Instant.ofEpochMilli(record.timestamp());
        if (record.value() == null) {
            return Optional.empty();
        }
        if (topic.equals(topics.raw())) {
            String eventId = header(record, EventHeaders.CE_ID);
            if (eventId == null) {
                return Optional.empty();
            }
            Instant at = Optional.ofNullable(time(header(record, EventHeaders.CE_TIME))).orElse(timestamp);
            ParseOutcome parsed = parser.parse(record.value());
            List<String> accounts = parsed instanceof ParseOutcome.Parsed p && !p.event().accountIds().isEmpty()
                    ? p.event().accountIds() : accountOf(record.value());
            return Optional.of(new Step(Kind.ACCEPTED, source, eventId, at, header(record, EventHeaders.CE_TYPE), accounts,
                    topic, record.partition(), body(record.value()), headers(record), null, null, null, null, null, null,
                    null, null));
        }
        if (eventTopics.contains(topic)) {
            String eventId = header(record, EventHeaders.CE_ID);
            return Optional.ofNullable(eventId).map(id -> new Step(Kind.ROUTED, source, id, timestamp,
                    header(record, EventHeaders.CE_TYPE), null, topic, record.partition(), null, null, null, null, null,
                    null, null, null, null, null));
        }
        if (topic.equals(topics.routerDeadLetter())) {
            // A record with no ce_id is dead-lettered for exactly that: it is its own journey, named by where it lies.
            String eventId = Optional.ofNullable(header(record, EventHeaders.CE_ID)).orElse("unidentified:" + source);
            String reason = header(record, ERROR);
            String detail = header(record, ERROR_DETAIL);
            return Optional.of(new Step(Kind.ROUTER_DEAD_LETTER, source, eventId, timestamp,
                    header(record, EventHeaders.CE_TYPE), null, topic, record.partition(), body(record.value()),
                    headers(record), null, null, null, null, null, detail == null ? reason : reason + ": " + detail, null,
                    null));
        }
        JsonNode json;
        try {
            json = mapper.readTree(record.value());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (json == null || !json.isObject() || text(json, "eventId") == null) {
            return Optional.empty();
        }
        if (topic.equals(topics.outcomes())) {
            return Optional.of(new Step(Kind.ATTEMPT, source, text(json, "eventId"),
                    Optional.ofNullable(time(text(json, "at"))).orElse(timestamp), text(json, "type"), null, topic,
                    record.partition(), null, null, text(json, "deliveryId"), text(json, "channel"),
                    text(json, "destination"), json.path("attempt").asInt(), text(json, "outcome"), text(json, "error"),
                    null, null));
        }
        Kind kind = topic.equals(topics.deliveryRetries()) ? Kind.RETRY_SCHEDULED
                : topic.equals(topics.notifierDeadLetter()) ? Kind.DELIVERY_DEAD_LETTER : null;
        if (kind == null) {
            return Optional.empty();
        }
        return Optional.of(new Step(kind, source, text(json, "eventId"), timestamp, text(json, "type"), null, topic,
                record.partition(), null, null, text(json, "id"), text(json, "channel"), text(json, "destination"),
                json.path("attempt").asInt(), null, text(json, "lastError"),
                kind == Kind.RETRY_SCHEDULED ? time(text(json, "notBefore")) : null,
                kind == Kind.DELIVERY_DEAD_LETTER ? new String(record.value(), StandardCharsets.UTF_8) : null));
    }

    /** The top-level account of a body whose type does not say where its accounts are, when it names one. */
    private List<String> accountOf(byte[] value) {
        try {
            JsonNode account = mapper.readTree(value).path("account_id");
            return account.isTextual() ? List.of(account.asText()) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private String body(byte[] value) {
        String body = new String(value, StandardCharsets.UTF_8);
        return body.length() <= maxBodyChars ? body
                : body.substring(0, maxBodyChars) + "\n… (" + (body.length() - maxBodyChars) + " more characters not kept)";
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Instant time(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                // Jackson may write an Instant as seconds with a fraction.
                return Instant.ofEpochMilli((long) (Double.parseDouble(text) * 1000));
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
    }
}
