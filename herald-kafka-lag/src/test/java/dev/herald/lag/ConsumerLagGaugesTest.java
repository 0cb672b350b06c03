package dev.herald.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.lag.ConsumerLagGauges.GroupTopic;
import dev.herald.lag.ConsumerLagGauges.Lag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What the lag gauges read when a measurement has not happened yet, succeeds, or fails. */
class ConsumerLagGaugesTest {

    private static final GroupTopic SPOT = new GroupTopic("herald-notifier-spot-recreated", "uniskai.events.spot-recreated");
    private static final GroupTopic TRIAL = new GroupTopic("herald-notifier-trial-period-ended", "uniskai.events.trial-period-ended");
    private static final Duration OFTEN = Duration.ofMillis(10);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** What Kafka answers per group; a group without an answer times out. */
    private final Map<GroupTopic, Lag> kafka = new ConcurrentHashMap<>();

    @Test
    void readsNaNUntilTheFirstMeasurementThenItsValue() {
        CountDownLatch firstAnswer = new CountDownLatch(1);
        try (var gauges = new ConsumerLagGauges(groupTopic -> {
            firstAnswer.await();
            return new Lag(3, 42.5);
        }, List.of(SPOT), registry, OFTEN)) {
            assertThat(seconds(SPOT)).isNaN();
            assertThat(records(SPOT)).isNaN();

            firstAnswer.countDown();

            await().until(() -> seconds(SPOT) == 42.5);
            assertThat(records(SPOT)).isEqualTo(3.0);
        }
    }

    @Test
    void readsNaNOnceKafkaStopsAnsweringNotTheLastValue() {
        kafka.put(SPOT, new Lag(0, 0));
        try (var gauges = new ConsumerLagGauges(this::answer, List.of(SPOT), registry, OFTEN)) {
            await().until(() -> seconds(SPOT) == 0.0 && records(SPOT) == 0.0);

            kafka.remove(SPOT);
            await().until(() -> Double.isNaN(seconds(SPOT)) && Double.isNaN(records(SPOT)));

            kafka.put(SPOT, new Lag(2, 7));
            await().until(() -> seconds(SPOT) == 7.0 && records(SPOT) == 2.0);
        }
    }

    @Test
    void aGroupThatCannotBeMeasuredDoesNotHideTheOthers() {
        kafka.put(TRIAL, new Lag(1, 60));
        try (var gauges = new ConsumerLagGauges(this::answer, List.of(SPOT, TRIAL), registry, OFTEN)) {
            await().until(() -> seconds(TRIAL) == 60.0);
            assertThat(seconds(SPOT)).isNaN();
        }
    }

    @Test
    void closedGaugesReadNaN() {
        kafka.put(SPOT, new Lag(0, 0));
        var gauges = new ConsumerLagGauges(this::answer, List.of(SPOT), registry, OFTEN);
        await().until(() -> seconds(SPOT) == 0.0);

        gauges.close();

        assertThat(seconds(SPOT)).isNaN();
    }

    private Lag answer(GroupTopic groupTopic) throws TimeoutException {
        Lag lag = kafka.get(groupTopic);
        if (lag == null) {
            throw new TimeoutException("Kafka did not answer");
        }
        return lag;
    }

    private double seconds(GroupTopic groupTopic) {
        return registry.get("herald.consumer.lag.seconds").tag("group", groupTopic.group()).tag("topic", groupTopic.topic())
                .gauge().value();
    }

    private double records(GroupTopic groupTopic) {
        return registry.get("herald.consumer.lag.records").tag("group", groupTopic.group()).tag("topic", groupTopic.topic())
                .gauge().value();
    }
}
