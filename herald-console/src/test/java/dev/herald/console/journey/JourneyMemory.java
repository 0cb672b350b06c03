package dev.herald.console.journey;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.events.DeliveryHeaders;
import dev.herald.events.EventHeaders;
import dev.herald.events.Topics;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A benchmark, run on demand (not a test): what the journey index takes per event, for sizing the console's pod and
 * its index volume: heap after GC, bytes on disk, the process's resident memory (RocksDB's cache and write buffers are
 * off the heap), and how fast it is filled (the console's first read of the topics). Each event as the pipeline
 * writes it: accepted with the given body, routed, queued for two destinations (Slack and email), and sent to both.
 *
 * <pre>java -cp target/test-classes:target/classes:target/quarkus-app/lib/main/* \
 *     dev.herald.console.journey.JourneyMemory 20000 ../herald-events/src/main/resources/dev/herald/events/examples/spot-rollback.json</pre>
 */
public final class JourneyMemory {

    private static final Topics TOPICS = Topics.withDefaultPrefix();

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args[0]);
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        String type = new ObjectMapper().readTree(body).path("type").asText();
        StepReader reader = new StepReader(TOPICS, 65_536, new ObjectMapper());
        JourneyIndex index = JourneyIndex.open(Files.createTempDirectory("journey-memory").resolve("index"));
        long before = usedAfterGc();
        long started = System.nanoTime();
        long offset = 0;
        for (int i = 0; i < events; i++) {
            String id = "memory-" + i;
            add(index, reader, record(TOPICS.raw(), offset++, body, eventHeaders(id, type)));
            add(index, reader, record(TOPICS.forType(type), offset++, body, eventHeaders(id, type)));
            for (String channel : new String[] {"slack", "email"}) {
                DeliveryHeaders delivery = new DeliveryHeaders(id + "/" + channel + "/0123456789abcdef", id, type, "ops",
                        channel, "0123456789abcdef", channel.equals("slack") ? "https://hooks.slack.com/…" : "ops@…", 1,
                        null, Instant.now(), null, null);
                RecordHeaders headers = new RecordHeaders();
                delivery.toMap().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
                add(index, reader, record(TOPICS.deliveries(), offset++, body, headers));
                String outcome = """
                        {"eventId":"%s","deliveryId":"%s","type":"%s","route":"ops","channel":"%s","destination":"%s",\
                        "attempt":1,"outcome":"sent","error":null,"at":"%s"}""".formatted(id, delivery.deliveryId(), type,
                        channel, delivery.destination(), Instant.now());
                add(index, reader, record(TOPICS.outcomes(), offset++, outcome.getBytes(StandardCharsets.UTF_8),
                        new RecordHeaders()));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long after = usedAfterGc();
        index.flush();
        long disk = index.bytesOnDisk();
        System.out.printf("%d journeys (%s, %d-byte body, 2 deliveries each) in %.1f s (%.0f records/s): heap %.1f MiB"
                + " (%d bytes per journey), disk %.1f MiB (%d bytes per journey), resident %s%n", index.size(), type,
                body.length, seconds, offset / seconds, (after - before) / 1048576.0, (after - before) / events,
                disk / 1048576.0, disk / events, resident());
        long searched = System.nanoTime();
        int found = index.search(new JourneyIndex.Criteria(type, null, null, null, 200)).size();
        System.out.printf("search, newest 200 of the type: %d in %.1f ms; the front page's last hour by type: %.1f ms;"
                + " an account no event has (every entry by time read): %.0f ms; stored %.1f MiB before compression%n",
                found, (System.nanoTime() - searched) / 1e6, timed(() -> index.acceptedByType(Instant.now().minusSeconds(3600))),
                timed(() -> index.search(new JourneyIndex.Criteria(null, "no-such-account", null, null, 200))),
                index.storedBytes() / 1048576.0);
        index.close();
    }

    private static double timed(Runnable action) {
        long started = System.nanoTime();
        action.run();
        return (System.nanoTime() - started) / 1e6;
    }

    private static String resident() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(line -> line.startsWith("VmRSS"))
                .map(line -> line.substring("VmRSS:".length()).trim()).findFirst().orElse("unknown");
    }

    private static void add(JourneyIndex index, StepReader reader, ConsumerRecord<String, byte[]> record) {
        reader.read(record).ifPresent(index::add);
    }

    private static ConsumerRecord<String, byte[]> record(String topic, long offset, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(topic, 0, offset, System.currentTimeMillis(), TimestampType.CREATE_TIME, -1,
                value.length, null, value, headers, java.util.Optional.empty());
    }

    private static RecordHeaders eventHeaders(String id, String type) {
        RecordHeaders headers = new RecordHeaders();
        Map.of(EventHeaders.CE_SPECVERSION, EventHeaders.SPEC_VERSION, EventHeaders.CE_ID, id, EventHeaders.CE_SOURCE,
                EventHeaders.SOURCE, EventHeaders.CE_TYPE, type, EventHeaders.CE_TIME, Instant.now().toString(),
                EventHeaders.CONTENT_TYPE, EventHeaders.JSON)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
