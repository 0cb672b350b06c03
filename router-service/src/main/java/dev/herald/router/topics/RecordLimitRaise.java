package dev.herald.router.topics;

import dev.herald.events.RecordSizeLimits;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Raises {@code max.message.bytes} of existing topics that take less than {@link RecordSizeLimits} wants: topics made
 * by an earlier Herald (or by hand) at the broker's 1 MiB default would refuse a body at the limit, which the ingest
 * then answers 413 and the sender never retries. Never lowers a limit someone set higher.
 */
final class RecordLimitRaise {

    private RecordLimitRaise() {
    }

    /** @return the topics whose limit was raised */
    static List<String> apply(Admin admin, Collection<String> topics, RecordSizeLimits sizes) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> raises = new HashMap<>();
        for (String topic : tooSmall(admin, topics, sizes).keySet()) {
            raises.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(new AlterConfigOp(
                    new ConfigEntry(RecordSizeLimits.MAX_MESSAGE_BYTES, String.valueOf(sizes.maxMessageBytes(topic))),
                    AlterConfigOp.OpType.SET)));
        }
        if (!raises.isEmpty()) {
            admin.incrementalAlterConfigs(raises).all().get(30, TimeUnit.SECONDS);
        }
        return raises.keySet().stream().map(ConfigResource::name).sorted().toList();
    }

    /**
     * The topics among {@code topics} that take less than {@link RecordSizeLimits} wants, with what they take (-1 when
     * Kafka does not say).
     */
    static Map<String, Long> tooSmall(Admin admin, Collection<String> topics, RecordSizeLimits sizes) throws Exception {
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        Map<String, Long> tooSmall = new TreeMap<>();
        for (var topic : configs.entrySet()) {
            ConfigEntry current = topic.getValue().get(RecordSizeLimits.MAX_MESSAGE_BYTES);
            long limit = current == null || current.value() == null ? -1 : Long.parseLong(current.value());
            if (limit < sizes.maxMessageBytes(topic.getKey().name())) {
                tooSmall.put(topic.getKey().name(), limit);
            }
        }
        return tooSmall;
    }
}
