package dev.herald.kafka.embedded;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes the largest record a topic takes, found by asking the broker: for tests of what a service does with a record
 * at its topic's limit, whose every copy with a header more would be refused.
 */
public final class LargestRecord {

    private static final int STEP = 8;
    private static final int TRIES = 512;

    private LargestRecord() {
    }

    /**
     * Writes {@code record.apply(size)} for sizes from {@code limit} down, {@value #STEP} bytes at a time, until the
     * broker takes one, which is then within {@value #STEP} bytes of the largest the topic takes.
     *
     * @return the size that was taken
     */
    public static int write(String bootstrapServers, int limit, IntFunction<ProducerRecord<String, byte[]>> record)
            throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                // Refused records are expected: no sequence to keep. And the broker alone judges the size (the client
                // estimates it from above).
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.RETRIES_CONFIG, 0,
                // Once each: without idempotence, a retried record could be stored twice.
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * limit), new StringSerializer(), new ByteArraySerializer())) {
            for (int size = limit, tries = 0; tries < TRIES; size -= STEP, tries++) {
                try {
                    producer.send(record.apply(size)).get(30, TimeUnit.SECONDS);
                    return size;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof RecordTooLargeException)) {
                        throw e;
                    }
                }
            }
        }
        throw new AssertionError("the topic took no record within " + STEP * TRIES + " bytes under " + limit);
    }
}
