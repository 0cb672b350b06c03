package dev.herald.console.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.console.journey.Step.Kind;
import dev.herald.events.DeliveryHeaders;
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

    /** The router's dead letters carry this beside {@link DeliveryHeaders#ERROR} (router-service's RawWebhookRouter). */
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
        followed.add(topics.deliveries());
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
                    null, null, null));
        }
        if (eventTopics.contains(topic)) {
            String eventId = header(record, EventHeaders.CE_ID);
            return Optional.ofNullable(eventId).map(id -> new Step(Kind.ROUTED, source, id, timestamp,
                    header(record, EventHeaders.CE_TYPE), null, topic, record.partition(), null, null, null, null, null,
                    null, null, null, null, null, null));
        }
        if (topic.equals(topics.routerDeadLetter())) {
            // A record with no ce_id is dead-lettered for exactly that: it is its own journey, named by where it lies.
            String eventId = Optional.ofNullable(header(record, EventHeaders.CE_ID)).orElse("unidentified:" + source);
            String reason = header(record, DeliveryHeaders.ERROR);
            String detail = header(record, ERROR_DETAIL);
            return Optional.of(new Step(Kind.ROUTER_DEAD_LETTER, source, eventId, timestamp,
                    header(record, EventHeaders.CE_TYPE), null, topic, record.partition(), body(record.value()),
                    headers(record), null, null, null, null, null, null, detail == null ? reason : reason + ": " + detail,
                    null, null));
        }
        if (topic.equals(topics.deliveries())) {
            return DeliveryHeaders.from(name -> header(record, name)).map(delivery -> delivery(
                    delivery.attempt() == 1 ? Kind.QUEUED : Kind.RETRY_SCHEDULED, source, timestamp, record, delivery, null));
        }
        if (topic.equals(topics.notifierDeadLetter())) {
            Optional<DeliveryHeaders> delivery = DeliveryHeaders.from(name -> header(record, name));
            if (delivery.isPresent()) {
                return Optional.of(delivery(Kind.DELIVERY_DEAD_LETTER, source, timestamp, record, delivery.get(),
                        new StoredDelivery(delivery.get(), record.value())));
            }
            // A record the notifier could not read at all: its own journey unless it names its event; not replayable.
            String eventId = Optional.ofNullable(header(record, EventHeaders.CE_ID)).orElse("unidentified:" + source);
            return Optional.of(new Step(Kind.DELIVERY_DEAD_LETTER, source, eventId, timestamp,
                    header(record, EventHeaders.CE_TYPE), null, topic, record.partition(), body(record.value()),
                    headers(record), null, null, null, null, null, null, header(record, DeliveryHeaders.ERROR), null, null));
        }
        if (!topic.equals(topics.outcomes())) {
            return Optional.empty();
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
        return Optional.of(new Step(Kind.ATTEMPT, source, text(json, "eventId"),
                Optional.ofNullable(time(text(json, "at"))).orElse(timestamp), text(json, "type"), null, topic,
                record.partition(), null, null, text(json, "deliveryId"), text(json, "route"), text(json, "channel"),
                text(json, "destination"), json.path("attempt").asInt(), text(json, "outcome"), text(json, "error"),
                null, null));
    }

    /**
     * A record of the deliveries or the dead-letter topic: one delivery, as its headers say. Only a retry's not-before
     * time is news: a first attempt is due at once, and a dead letter's is the attempt that failed.
     */
    private static Step delivery(Kind kind, String source, Instant at, ConsumerRecord<String, byte[]> record,
            DeliveryHeaders delivery, StoredDelivery stored) {
        return new Step(kind, source, delivery.eventId(), at, delivery.type(), null, record.topic(), record.partition(),
                null, null, delivery.deliveryId(), blankToNull(delivery.route()), delivery.channel(),
                blankToNull(delivery.destination()), delivery.attempt(), null, delivery.error(),
                kind == Kind.RETRY_SCHEDULED ? delivery.notBefore() : null, stored);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
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
