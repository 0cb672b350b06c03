package dev.herald.benchmarks;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.events.ParseOutcome;
import dev.herald.events.RawRecordKey;
import dev.herald.events.WebhookParser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load and ceilings for the router benchmark.
 * <ul>
 * <li>{@code produce <bootstrap> <topic> <n>}: n raw records as the ingest writes them (documented examples, unique
 * sender ids, the ingest's key, so none takes the router's re-keying detour);
 * <li>{@code copy <bootstrap> <from> <to> <n>}: a plain consume-and-produce loop (acks=all, no transactions), the
 * ceiling of any router on this broker, timed;
 * <li>{@code await <bootstrap> <group> <topic> <n>}: waits until the group has committed n offsets and times how
 * fast they went, from the first commit seen.
 * </ul>
 */
public final class RawLoad {

    private RawLoad() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "produce" -> produce(args[1], args[2], Integer.parseInt(args[3]));
            case "copy" -> copy(args[1], args[2], args[3], Integer.parseInt(args[4]));
            case "await" -> await(args[1], args[2], args[3], Long.parseLong(args[4]));
            default -> throw new IllegalArgumentException("produce|copy|await");
        }
    }

    static void produce(String bootstrap, String topic, int n) throws Exception {
        EventType[] types = EventType.values();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 65536),
                new StringSerializer(), new ByteArraySerializer())) {
            long started = System.nanoTime();
            WebhookParser parser = new WebhookParser();
            Map<EventType, List<String>> accounts = Arrays.stream(types).collect(Collectors.toMap(type -> type,
                    type -> ((ParseOutcome.Parsed) parser.parse(DocumentedExamples.of(type))).event().accountIds()));
            for (int i = 0; i < n; i++) {
                EventType type = types[i % types.length];
                String id = "bench-" + i;
                RecordHeaders headers = new RecordHeaders();
                headers.add(EventHeaders.CE_SPECVERSION, utf8("1.0"));
                headers.add(EventHeaders.CE_ID, utf8(id));
                headers.add(EventHeaders.CE_TYPE, utf8(type.typeName()));
                headers.add(EventHeaders.CE_TIME, utf8(Instant.now().toString()));
                headers.add(EventHeaders.ID_SOURCE, utf8(EventHeaders.ID_FROM_SENDER));
                String key = RawRecordKey.of(accounts.get(type), id, null);
                producer.send(new ProducerRecord<>(topic, null, key, DocumentedExamples.of(type), headers));
            }
            producer.flush();
            report("produced raw records", n, started);
        }
    }

    static void copy(String bootstrap, String from, String to, int n) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "bench-copy",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 65536),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(from));
            long copied = 0;
            long started = 0;
            while (copied < n) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (started == 0) {
                        started = System.nanoTime();
                    }
                    producer.send(new ProducerRecord<>(to, null, record.key(), record.value(), record.headers()));
                    copied++;
                }
                producer.flush();
                consumer.commitSync();
            }
            report("consume-and-produce loop (acks=all, no transactions)", copied, started);
        }
    }

    static void await(String bootstrap, String group, String topic, long n) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            long first = -1;
            long started = 0;
            while (true) {
                long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed > 0 && first < 0) {
                    first = committed;
                    started = System.nanoTime();
                }
                if (committed >= n) {
                    report("routed by the router (exactly_once_v2), after its first commit", committed - first, started);
                    return;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void report(String what, long records, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        System.out.printf("RESULT %-62s %9d records in %6.1f s = %8.0f records/s%n", what, records, seconds, records / seconds);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
