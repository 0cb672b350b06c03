package dev.herald.router.topics;

import dev.herald.events.RecordSizeLimits;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> raises = new HashMap<>();
        List<String> raised = new ArrayList<>();
        for (var topic : configs.entrySet()) {
            ConfigEntry current = topic.getValue().get(RecordSizeLimits.MAX_MESSAGE_BYTES);
            int wanted = sizes.maxMessageBytes(topic.getKey().name());
            if (current == null || Long.parseLong(current.value()) < wanted) {
                raises.put(topic.getKey(), List.of(new AlterConfigOp(
                        new ConfigEntry(RecordSizeLimits.MAX_MESSAGE_BYTES, String.valueOf(wanted)), AlterConfigOp.OpType.SET)));
                raised.add(topic.getKey().name());
            }
        }
        if (!raises.isEmpty()) {
            admin.incrementalAlterConfigs(raises).all().get(30, TimeUnit.SECONDS);
        }
        return raised;
    }
}
