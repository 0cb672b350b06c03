package dev.herald.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.EventHeaders;
import dev.herald.kafka.embedded.TopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Checks what the router wrote, read back with {@code read_committed}. */
final class RoutedTopics {

    private RoutedTopics() {
    }

    /**
     * Every expected id is in its topic exactly once, nothing else of this run is there, and order held per key among
     * the records written under the ingest's key.
     */
    static void assertExactlyOnce(String bootstrapServers, String runId, MixedRawEvents events, String deadLetterTopic,
            Duration timeout) {
        for (Map.Entry<String, Set<String>> expected : events.expectedIdsByTopic.entrySet()) {
            try (TopicReader reader = new TopicReader(bootstrapServers, expected.getKey())) {
                reader.readUntil(read -> ofRun(read, runId).size() >= expected.getValue().size(), timeout);
                List<ConsumerRecord<String, byte[]>> all = ofRun(reader.readToEnd(timeout), runId);
                List<String> ids = all.stream().map(r -> TopicReader.header(r, EventHeaders.CE_ID)).toList();
                assertThat(ids).as("ids in %s", expected.getKey())
                        .doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(expected.getValue());
                assertOrderPerKey(all.stream()
                        .filter(r -> !events.rekeyedSeqs.contains(TopicReader.header(r, MixedRawEvents.SEQ))).toList());
            }
        }
        try (TopicReader reader = new TopicReader(bootstrapServers, deadLetterTopic)) {
            reader.readUntil(read -> ofRun(read, runId).size() >= events.expectedDeadLetterSeqs.size(), timeout);
            List<String> seqs = ofRun(reader.readToEnd(timeout), runId).stream()
                    .map(r -> TopicReader.header(r, MixedRawEvents.SEQ)).toList();
            assertThat(seqs).as("dead letters").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(events.expectedDeadLetterSeqs);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> ofRun(List<ConsumerRecord<String, byte[]>> records, String runId) {
        String marker = "\"run\":\"" + runId + "\"";
        String garbage = "garbage " + runId + " ";
        return records.stream().filter(r -> {
            String body = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
            return body.contains(marker) || body.startsWith(garbage);
        }).toList();
    }

    private static void assertOrderPerKey(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, List<Integer>> seqsByKey = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records.stream()
                .sorted((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                        : Long.compare(a.offset(), b.offset()))
                .collect(Collectors.toList())) {
            seqsByKey.computeIfAbsent(record.key(), k -> new ArrayList<>())
                    .add(Integer.parseInt(TopicReader.header(record, MixedRawEvents.SEQ)));
        }
        seqsByKey.forEach((key, seqs) -> assertThat(seqs).as("order of key %s", key).isSorted());
    }
}
