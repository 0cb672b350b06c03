package dev.herald.lag;

import dev.herald.kafka.client.KafkaClientSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** Counts the consumers of a group through the Admin API. Throws when Kafka does not answer in time. */
final class MemberCount implements Measurements.Measure<String, Integer> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;

    /** {@code kafkaConfig}: every client setting of the service (address, security), as Quarkus gathers them. */
    MemberCount(Map<String, Object> kafkaConfig) {
        Map<String, Object> adminConfig = new HashMap<>(new KafkaClientSettings(kafkaConfig).connection());
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-group-members-admin");
        this.admin = Admin.create(adminConfig);
    }

    @Override
    public Integer of(String group) throws Exception {
        try {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).members().size();
        } catch (ExecutionException e) {
            // A group with no consumer left (or never one) is gone from the coordinator: it has no members.
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
