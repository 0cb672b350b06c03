package dev.herald.notifier.it;

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

/** Writes events to their per-type topics the way the router does. */
public final class EventPublisher implements AutoCloseable {

    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;

    public EventPublisher(String bootstrapServers) {
        this(bootstrapServers, Topics.withDefaultPrefix());
    }

    /** Writes to the per-type topics of {@code topics} (a test with its own topic prefix). */
    public EventPublisher(String bootstrapServers, Topics topics) {
        this.topics = topics;
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new StringSerializer(), new ByteArraySerializer());
    }

    public void publish(String type, String eventId, byte[] body) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.CE_SPECVERSION, utf8("1.0"));
        headers.add(EventHeaders.CE_ID, utf8(eventId));
        headers.add(EventHeaders.CE_TYPE, utf8(type));
        headers.add(EventHeaders.CE_TIME, utf8(Instant.now().toString()));
        headers.add(EventHeaders.TRACEPARENT, utf8("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        try {
            producer.send(new ProducerRecord<>(topics.forType(type), null, eventId, body, headers)).get();
        } catch (Exception e) {
            throw new AssertionError("could not publish " + eventId, e);
        }
    }

    public void publish(String type, String eventId, String body) {
        publish(type, eventId, utf8(body));
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
    }
}
