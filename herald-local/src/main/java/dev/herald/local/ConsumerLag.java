package dev.herald.local;

import dev.herald.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Kafka facts for {@code bin/pipeline}: {@code lag} prints each consumer group's lag per topic (how this pipeline is
 * watched); {@code find <id>...} prints the per-type topic each event reached.
 *
 * {@code count --topic <t>} prints how many records a topic holds.
 *
 * <pre>java dev.herald.local.ConsumerLag lag [--bootstrap 127.0.0.1:9092]
 * java dev.herald.local.ConsumerLag find [--bootstrap ...] [--topic-prefix uniskai] --ids id1,id2</pre>
 */
public final class ConsumerLag {

    private ConsumerLag() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ConsumerLag lag|find [--bootstrap host:port] [--ids a,b]");
        }
        Map<String, String> options = Options.parse(java.util.Arrays.copyOfRange(args, 1, args.length));
        String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
        if (args[0].equals("lag")) {
            lag(bootstrap);
        } else if (args[0].equals("count")) {
            count(bootstrap, options.getOrDefault("topic", Topics.withDefaultPrefix().raw()));
        } else if (args[0].equals("find")) {
            find(bootstrap, new Topics(options.getOrDefault("topic-prefix", Topics.DEFAULT_PREFIX)),
                    Set.of(options.getOrDefault("ids", "").split(",")));
        } else {
            throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static void lag(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000))) {
            List<String> groups = new ArrayList<>();
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
                groups.add(group.groupId());
            }
            groups.sort(String::compareTo);
            System.out.printf("%-44s %-48s %8s%n", "consumer group", "topic", "lag");
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                Map<String, Long> lagByTopic = new TreeMap<>();
                committed.forEach((tp, offset) -> {
                    long end = ends.get(tp).offset();
                    lagByTopic.merge(tp.topic(), Math.max(0, end - (offset == null ? 0 : offset.offset())), Long::sum);
                });
                lagByTopic.forEach((topic, lag) -> System.out.printf("%-44s %-48s %8d%n", group, topic, lag));
            }
        }
    }

    /** Prints how many records a topic holds (the sum of its partitions' end offsets). */
    static void count(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            System.out.println(consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum());
        }
    }

    static void find(String bootstrap, Topics topics, Set<String> ids) {
        Map<String, String> found = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics.eventTopics()) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < ids.size() && System.nanoTime() < deadline
                    && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header id = record.headers().lastHeader("ce_id");
                    String eventId = id == null ? null : new String(id.value(), StandardCharsets.UTF_8);
                    if (eventId != null && ids.contains(eventId)) {
                        found.put(eventId, record.topic());
                    }
                }
            }
        }
        ids.forEach(id -> System.out.println(id + " " + found.getOrDefault(id, "(not found)")));
    }
}
