package dev.herald.router.routing;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.events.ParseOutcome;
import dev.herald.events.RawRecordKey;
import dev.herald.events.Topics;
import dev.herald.events.WebhookParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A reproducible stream of raw records as the ingest writes them, mixed the way real traffic is: every documented
 * type, undocumented types, sender retries (same id), retries without an id (same body), garbage and records
 * without an id. It knows which ids must end up in which topic, exactly once. Most records have the key the ingest
 * gives them; a fifth of the events with a sender id, and their retries, have a random one instead, as another writer
 * might give them, so the router re-keys them. (Not those without one: which of two re-keyed copies comes back first
 * is not defined, and so neither is the generated id that is routed.)
 */
final class MixedRawEvents {

    static final String SEQ = "test_seq";

    record RawEvent(String key, byte[] body, RecordHeaders headers) {
    }

    final List<RawEvent> events = new ArrayList<>();
    final Map<String, Set<String>> expectedIdsByTopic = new HashMap<>();
    final Set<String> expectedDeadLetterSeqs = new HashSet<>();
    /** Records written under a key other than the ingest's: their order is not kept. */
    final Set<String> rekeyedSeqs = new HashSet<>();

    MixedRawEvents(Topics topics, String runId, int count, long seed) {
        Random random = new Random(seed);
        EventType[] types = EventType.values();
        List<RawEvent> routable = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int dice = random.nextInt(100);
            String key = "acct-" + random.nextInt(20);
            if (dice < 3) {
                add(key, ("garbage " + runId + " " + i + " {").getBytes(StandardCharsets.UTF_8), runId + "-" + i, "sender", i);
                expectedDeadLetterSeqs.add(String.valueOf(i));
            } else if (dice < 5) {
                byte[] body = uniqueBody(types[random.nextInt(types.length)].typeName(), runId, i);
                add(key, body, null, "sender", i);
                expectedDeadLetterSeqs.add(String.valueOf(i));
            } else if (dice < 10 && !routable.isEmpty()) {
                RawEvent original = routable.get(random.nextInt(routable.size()));
                String idSource = header(original.headers(), EventHeaders.ID_SOURCE);
                // A sender retry keeps its id; a retry without id gets a new generated id but the same body.
                String id = "sender".equals(idSource) ? header(original.headers(), EventHeaders.CE_ID) : runId + "-retry-" + i;
                add(original.key(), original.body(), id, idSource, i);
                if (rekeyedSeqs.contains(header(original.headers(), SEQ))) {
                    rekeyedSeqs.add(String.valueOf(i));
                }
            } else {
                String type = dice < 15 ? "undocumented-" + (i % 3) : types[random.nextInt(types.length)].typeName();
                String idSource = dice < 30 ? "generated" : "sender";
                String id = runId + "-" + i;
                byte[] body = uniqueBody(type, runId, i);
                boolean randomKey = idSource.equals("sender") && random.nextInt(5) == 0;
                if (randomKey) {
                    rekeyedSeqs.add(String.valueOf(i));
                }
                routable.add(add(randomKey ? "random-" + random.nextInt(1000) : ingestKey(body, id, idSource), body, id, idSource, i));
                expectedIdsByTopic.computeIfAbsent(topics.forType(type), t -> new HashSet<>()).add(id);
            }
        }
    }

    int expectedRoutedCount() {
        return expectedIdsByTopic.values().stream().mapToInt(Set::size).sum();
    }

    void produceAll(String bootstrapServers, String topic) {
        try (KafkaProducer<String, byte[]> producer = producer(bootstrapServers)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (RawEvent event : events) {
                sent.add(producer.send(new ProducerRecord<>(topic, null, event.key(), event.body(), event.headers())));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not write the raw test events", e);
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                // One request in flight: a batch refused by a just-created partition cannot be overtaken by the next.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new StringSerializer(), new ByteArraySerializer());
    }

    private RawEvent add(String key, byte[] body, String id, String idSource, int seq) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.CE_SPECVERSION, utf8("1.0"));
        if (id != null) {
            headers.add(EventHeaders.CE_ID, utf8(id));
        }
        headers.add(EventHeaders.CE_TIME, utf8(Instant.now().toString()));
        headers.add(EventHeaders.ID_SOURCE, utf8(idSource));
        headers.add(EventHeaders.BODY_SHA256, utf8(sha256(body)));
        headers.add(SEQ, utf8(String.valueOf(seq)));
        RawEvent event = new RawEvent(key, body, headers);
        events.add(event);
        return event;
    }

    /** The key the ingest gives a record. */
    static String ingestKey(byte[] body, String id, String idSource) {
        var event = ((ParseOutcome.Parsed) new WebhookParser().parse(body)).event();
        return RawRecordKey.of(event.accountIds(), "sender".equals(idSource) ? id : null, sha256(body));
    }

    static byte[] uniqueBody(String type, String runId, int seq) {
        String base = EventType.byName(type)
                .map(t -> new String(DocumentedExamples.of(t), StandardCharsets.UTF_8))
                .orElse("{\"type\":\"" + type + "\",\"detail\":\"x\"}");
        return base.replaceFirst("\\{", "{\"run\":\"" + runId + "\",\"seq\":" + seq + ",").getBytes(StandardCharsets.UTF_8);
    }

    static String header(org.apache.kafka.common.header.Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
