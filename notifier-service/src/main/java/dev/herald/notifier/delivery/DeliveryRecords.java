package dev.herald.notifier.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.herald.events.DeliveryHeaders;
import dev.herald.events.EventHeaders;
import dev.herald.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records the notifier writes: deliveries (first attempts and retries), dead letters, outcomes and done marks.
 * A delivery or dead-letter record is the event's body as received with {@link DeliveryHeaders}, never the body
 * re-encoded inside JSON, so it is never larger than the event.
 */
public final class DeliveryRecords {

    /** One attempt's result on the outcomes topic; the destination is redacted. */
    public record Outcome(String eventId, String deliveryId, String type, String route, String channel,
            String destination, int attempt, String outcome, String error, Instant at) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Topics topics;

    public DeliveryRecords(Topics topics) {
        this.topics = topics;
    }

    public Topics topics() {
        return topics;
    }

    /** A delivery on the deliveries topic, keyed by its destination, so one consumer owns each destination. */
    public ProducerRecord<String, byte[]> delivery(DeliveryHeaders headers, byte[] body) {
        return new ProducerRecord<>(topics.deliveries(), null, headers.destinationKey(), body, kafkaHeaders(headers.toMap()));
    }

    /** The next attempt of a delivery, keyed like its first: the destination's owner paces it too. */
    public ProducerRecord<String, byte[]> retry(DeliveryHeaders next, byte[] body) {
        return new ProducerRecord<>(topics.deliveries(), null, next.destinationKey(), body, kafkaHeaders(next.toMap()));
    }

    public ProducerRecord<String, byte[]> deadLetter(DeliveryHeaders headers, byte[] body) {
        return new ProducerRecord<>(topics.notifierDeadLetter(), null, headers.deliveryId(), body, kafkaHeaders(headers.toMap()));
    }

    /**
     * A record the notifier could not read as a delivery or an event: kept as it came, with the reason and where it
     * came from, so nobody has to look for it in a log.
     */
    public ProducerRecord<String, byte[]> unreadable(String key, byte[] body, Map<String, String> known, String reason,
            String sourceTopic, int sourcePartition, long sourceOffset) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(known);
        headers.put(DeliveryHeaders.ERROR, truncate(reason));
        headers.put("herald_source", sourceTopic + "-" + sourcePartition + "@" + sourceOffset);
        return new ProducerRecord<>(topics.notifierDeadLetter(), null, key, body == null ? new byte[0] : body,
                kafkaHeaders(headers));
    }

    public ProducerRecord<String, byte[]> outcome(DeliveryHeaders delivery, String outcome, String error) {
        Outcome value = new Outcome(delivery.eventId(), delivery.deliveryId(), delivery.type(), delivery.route(),
                delivery.channel(), delivery.destination(), delivery.attempt(), outcome, truncate(error), Instant.now());
        try {
            return new ProducerRecord<>(topics.outcomes(), delivery.eventId(), JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delivery record {@code offset} of deliveries partition {@code partition} is done, with {@code outcome}. */
    public ProducerRecord<String, byte[]> done(int partition, long offset, String deliveryId, String outcome) {
        return new ProducerRecord<>(topics.deliveriesDone(), partition, deliveryId,
                DoneMark.encode(offset, outcome).getBytes(StandardCharsets.UTF_8));
    }

    private static RecordHeaders kafkaHeaders(Map<String, String> values) {
        RecordHeaders headers = new RecordHeaders();
        values.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        headers.add(EventHeaders.CONTENT_TYPE, EventHeaders.JSON.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** A header's last value as text, or null when it is absent or has no value (a poison header). */
    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Every header's last value as text (null for a header without a value), read in one pass: a delivery's facts are
     * a dozen headers, and looking each one up would scan them all a dozen times on the poll thread.
     */
    public static Map<String, String> headerValues(Headers headers) {
        Map<String, String> values = new java.util.HashMap<>(32);
        for (var header : headers) {
            values.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String truncate(String text) {
        return text == null || text.length() <= DeliveryHeaders.MAX_ERROR_CHARS ? text
                : text.substring(0, DeliveryHeaders.MAX_ERROR_CHARS) + "…";
    }
}
