package dev.herald.router.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** Topics made at the broker's default by an earlier Herald get room for a body at the limit; larger limits stay. */
class RecordLimitRaiseIT {

    @Test
    void raisesTooSmallLimitsOnlyAndNeverLowersOne() throws Exception {
        Topics topics = new Topics("raise");
        RecordSizeLimits sizes = new RecordSizeLimits(topics);
        Path dir = Files.createTempDirectory("herald-limit-raise");
        try (KafkaBroker broker = KafkaBroker.create(0, dir, Map.of())) {
            broker.start();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                String old = topics.raw();
                String larger = topics.routerDeadLetter();
                admin.createTopics(List.of(new NewTopic(old, 1, (short) 1),
                        new NewTopic(larger, 1, (short) 1).configs(Map.of(RecordSizeLimits.MAX_MESSAGE_BYTES, "33554432"))))
                        .all().get(30, TimeUnit.SECONDS);

                assertThat(RecordLimitRaise.tooSmall(admin, List.of(old, larger), sizes))
                        .as("what an operator-owned topic is reported with").containsOnlyKeys(old)
                        .containsEntry(old, (long) (1024 * 1024 + 12)); // the broker's default

                List<String> raised = RecordLimitRaise.apply(admin, List.of(old, larger), sizes);

                assertThat(raised).containsExactly(old);
                assertThat(limit(admin, old)).isEqualTo(String.valueOf(sizes.maxMessageBytes(old)));
                assertThat(limit(admin, larger)).isEqualTo("33554432");
                assertThat(RecordLimitRaise.apply(admin, List.of(old, larger), sizes)).as("a second start changes nothing").isEmpty();
                assertThat(RecordLimitRaise.tooSmall(admin, List.of(old, larger), sizes)).isEmpty();
            }
        }
    }

    private static String limit(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get(RecordSizeLimits.MAX_MESSAGE_BYTES).value();
    }
}
