package dev.herald.console.it;

import dev.herald.events.EventHeaders;
import dev.herald.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes records to Herald's topics the way the ingest, the router and the notifier write them. */
public final class HeraldRecords implements AutoCloseable {

    public static final Topics TOPICS = Topics.withDefaultPrefix();
    private final KafkaProducer<String, byte[]> producer;

    public HeraldRecords(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    /** The ingest: the body byte for byte, CloudEvents headers, keyed by the account. */
    public void accepted(String eventId, String type, String account, String body) {
        send(TOPICS.raw(), account, body, headers(eventId, type));
    }

    /** The router: the same record on the type's topic. */
    public void routed(String eventId, String type, String account, String body) {
        send(TOPICS.forType(type), account, body, headers(eventId, type));
    }

    /** The router's dead letter: the raw record with herald_error headers. */
    public void routerDeadLetter(String eventId, String body, String error, String detail) {
        RecordHeaders headers = headers(eventId, null);
        headers.add("herald_error", utf8(error));
        headers.add("herald_error_detail", utf8(detail));
        send(TOPICS.routerDeadLetter(), eventId, body, headers);
    }

    /** The notifier's outcome of one attempt (DeliveryRecords.Outcome). */
    public void outcome(String eventId, String deliveryId, String type, String channel, String destination, int attempt,
            String outcome, String error) {
        send(TOPICS.outcomes(), eventId, """
                {"eventId":"%s","deliveryId":"%s","type":"%s","channel":"%s","destination":"%s","attempt":%d,\
                "outcome":"%s","error":%s,"at":"%s"}""".formatted(eventId, deliveryId, type, channel, destination,
                attempt, outcome, error == null ? "null" : "\"" + error + "\"", Instant.now()), new RecordHeaders());
    }

    /** The notifier's dead letter (DeliveryRecord). */
    public void deliveryDeadLetter(String eventId, String deliveryId, String type, String destination, String error,
            String body) {
        send(TOPICS.notifierDeadLetter(), deliveryId, """
                {"id":"%s","eventId":"%s","type":"%s","channel":"slack","destinationKey":"0123456789abcdef",\
                "destination":"%s","attempt":8,"notBefore":"%s","receivedAt":"%s","traceparent":null,\
                "lastError":"%s","body":%s}""".formatted(deliveryId, eventId, type, destination, Instant.now(),
                Instant.now(), error, quoted(body)), new RecordHeaders());
    }

    private static String quoted(String body) {
        return "\"" + body.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static RecordHeaders headers(String eventId, String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.CE_SPECVERSION, utf8(EventHeaders.SPEC_VERSION));
        headers.add(EventHeaders.CE_ID, utf8(eventId));
        headers.add(EventHeaders.CE_SOURCE, utf8(EventHeaders.SOURCE));
        if (type != null) {
            headers.add(EventHeaders.CE_TYPE, utf8(type));
        }
        headers.add(EventHeaders.CE_TIME, utf8(Instant.now().toString()));
        headers.add(EventHeaders.CONTENT_TYPE, utf8(EventHeaders.JSON));
        return headers;
    }

    private void send(String topic, String key, String value, RecordHeaders headers) {
        try {
            producer.send(new ProducerRecord<>(topic, null, key, utf8(value), headers)).get();
        } catch (Exception e) {
            throw new AssertionError("could not write to " + topic, e);
        }
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
