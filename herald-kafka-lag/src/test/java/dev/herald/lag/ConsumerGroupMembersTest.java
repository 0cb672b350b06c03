package dev.herald.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What the members gauge reads when a count has not happened yet, succeeds, or fails. */
class ConsumerGroupMembersTest {

    private static final String GROUP = "herald-notifier-spot-recreated";
    private static final Duration OFTEN = Duration.ofMillis(10);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** What Kafka answers per group; a group without an answer times out. */
    private final Map<String, Integer> kafka = new ConcurrentHashMap<>();

    @Test
    void readsNaNUntilTheFirstCountThenTheCount() {
        CountDownLatch firstAnswer = new CountDownLatch(1);
        try (var members = new ConsumerGroupMembers(group -> {
            firstAnswer.await();
            return 2;
        }, List.of(GROUP), registry, OFTEN)) {
            assertThat(members()).isNaN();

            firstAnswer.countDown();

            await().until(() -> members() == 2.0);
        }
    }

    @Test
    void anEmptyGroupReadsZeroAndAnUnansweredCountNaN() {
        kafka.put(GROUP, 1);
        try (var members = new ConsumerGroupMembers(this::answer, List.of(GROUP), registry, OFTEN)) {
            await().until(() -> members() == 1.0);

            kafka.put(GROUP, 0);
            await().until(() -> members() == 0.0);

            kafka.remove(GROUP);
            await().until(() -> Double.isNaN(members()));
        }
    }

    private Integer answer(String group) throws TimeoutException {
        Integer count = kafka.get(group);
        if (count == null) {
            throw new TimeoutException("Kafka did not answer");
        }
        return count;
    }

    private double members() {
        return registry.get("herald.consumer.group.members").tag("group", GROUP).gauge().value();
    }
}
