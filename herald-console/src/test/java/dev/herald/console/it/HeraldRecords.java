package dev.herald.console.it;

import dev.herald.events.DeliveryHeaders;
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

    /** The ingest, as it accepted an event at {@code at}. */
    public void accepted(String eventId, String type, String account, String body, Instant at) {
        RecordHeaders headers = headers(eventId, type);
        headers.remove(EventHeaders.CE_TIME);
        headers.add(EventHeaders.CE_TIME, utf8(at.toString()));
        send(TOPICS.raw(), account, body, headers);
    }

    /** The ingest, for a sender that sent no id: the id is Herald's, the body's SHA-256 in a header. */
    public void acceptedWithoutSenderId(String eventId, String type, String body, String bodySha256) {
        RecordHeaders headers = headers(eventId, type);
        headers.add(EventHeaders.BODY_SHA256, utf8(bodySha256));
        headers.add(EventHeaders.ID_SOURCE, utf8(EventHeaders.ID_GENERATED));
        send(TOPICS.raw(), "sha256:" + bodySha256, body, headers);
    }

    /** The router: the same record on the type's topic. */
    public void routed(String eventId, String type, String account, String body) {
        send(TOPICS.forType(type), account, body, headers(eventId, type));
    }

    /** The router's dead letter: the raw record with herald_error headers. */
    public void routerDeadLetter(String eventId, String body, String error, String detail) {
        RecordHeaders headers = headers(eventId, null);
        headers.add(DeliveryHeaders.ERROR, utf8(error));
        headers.add("herald_error_detail", utf8(detail));
        send(TOPICS.routerDeadLetter(), eventId, body, headers);
    }

    /** The first attempt of the Slack delivery of an event, as the notifier's fan-out writes it. */
    public static DeliveryHeaders slackDelivery(String eventId, String type, String route) {
        return new DeliveryHeaders(eventId + "/slack/0123456789abcdef", eventId, type, route, "slack", "0123456789abcdef",
                "https://hooks.slack.com/…", 1, null, Instant.now(), null, null);
    }

    /** The notifier's outcome of one attempt: JSON, keyed by event id. */
    public void outcome(DeliveryHeaders delivery, int attempt, String outcome, String error) {
        send(TOPICS.outcomes(), delivery.eventId(), """
                {"eventId":"%s","deliveryId":"%s","type":"%s","route":"%s","channel":"%s","destination":"%s",\
                "attempt":%d,"outcome":"%s","error":%s,"at":"%s"}""".formatted(delivery.eventId(),
                delivery.deliveryId(), delivery.type(), delivery.route(), delivery.channel(), delivery.destination(),
                attempt, outcome, error == null ? "null" : "\"" + error + "\"", Instant.now()), new RecordHeaders());
    }

    /** The notifier's delivery record (a first attempt, or one written back for a retry): the body, the facts in headers. */
    public void delivery(DeliveryHeaders delivery, String body) {
        send(TOPICS.deliveries(), delivery.destinationKey(), body, headers(delivery));
    }

    /** The notifier's dead letter of a delivery: as on the deliveries topic, the reason in herald_error. */
    public void deliveryDeadLetter(DeliveryHeaders delivery, String body) {
        send(TOPICS.notifierDeadLetter(), delivery.destinationKey(), body, headers(delivery));
    }

    /** The notifier's dead letter of a record it could not read: only the event's id and type and the reason. */
    public void unreadableDeadLetter(String eventId, String type, String error, String body) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.CE_ID, utf8(eventId));
        headers.add(EventHeaders.CE_TYPE, utf8(type));
        headers.add(DeliveryHeaders.ERROR, utf8(error));
        send(TOPICS.notifierDeadLetter(), eventId, body, headers);
    }

    private static RecordHeaders headers(DeliveryHeaders delivery) {
        RecordHeaders headers = new RecordHeaders();
        delivery.toMap().forEach((name, value) -> headers.add(name, utf8(value)));
        return headers;
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
