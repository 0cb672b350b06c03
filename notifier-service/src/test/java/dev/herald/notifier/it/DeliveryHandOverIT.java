package dev.herald.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.notifier.delivery.Backoff;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.DeliveryRecords;
import dev.herald.notifier.delivery.DeliveryStage;
import dev.herald.notifier.delivery.NotifierMetrics;
import dev.herald.notifier.delivery.Pace;
import dev.herald.notifier.it.RecordingChannel.Send;
import dev.herald.notifier.kafka.NotifierClients;
import dev.herald.notifier.route.Route;
import dev.herald.notifier.route.RouteTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.TracerProvider;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Two delivery stages in one consumer group, the second joining while the first delivers and the first leaving
 * before the end, as KEDA scales a Deployment out and in: every delivery is sent exactly once, each destination by
 * one stage at a time and never faster than its pace, whichever stage owns it.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class DeliveryHandOverIT {

    private static final String PREFIX = "handover";
    private static final Topics TOPICS = new Topics(PREFIX);
    private static final int DESTINATIONS = 24;
    private static final int DELIVERIES = 1_200;
    /** Slow enough that the hand-over happens while most deliveries still wait: 50 per destination take 17 s. */
    private static final Pace PACE = new Pace(3, 1);

    KafkaBroker broker;

    @Test
    void aStageJoiningAndAnotherLeavingSendEveryDeliveryOnceAndKeepEachDestinationToItsPace() throws Exception {
        broker.createTopics(List.of(TOPICS.deliveries(), TOPICS.deliveriesDone()), 6);
        broker.createTopics(List.of(TOPICS.notifierDeadLetter(), TOPICS.outcomes()), 1);
        ConcurrentLinkedQueue<Send> sends = new ConcurrentLinkedQueue<>();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < DESTINATIONS; i++) {
            addresses.add("destination-" + i);
        }
        Route route = new Route("all", List.of("*"), List.of(), Map.of("recorded", addresses), Optional.empty());

        DeliveryStage first = stage("first", route, sends);
        first.start();
        publish(route);
        await().atMost(Duration.ofSeconds(60)).until(() -> sends.size() >= DESTINATIONS);
        DeliveryStage second = stage("second", route, sends);
        second.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> sends.stream().anyMatch(send -> send.stage().equals("second")));
        first.stop();
        await().atMost(Duration.ofSeconds(120)).until(() -> sends.stream().map(Send::deliveryId).distinct().count() == DELIVERIES);
        // Whatever the first stage still had is sent by the second; nothing is sent again in the next seconds.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> sends.size() == DELIVERIES);
        second.stop();

        Map<String, Long> perDelivery = new HashMap<>();
        sends.forEach(send -> perDelivery.merge(send.deliveryId(), 1L, Long::sum));
        assertThat(perDelivery).hasSize(DELIVERIES).allSatisfy((id, count) -> assertThat(count).as(id).isOne());
        assertThat(sends).anyMatch(send -> send.stage().equals("first")).anyMatch(send -> send.stage().equals("second"));
        Map<String, List<Long>> perDestination = new LinkedHashMap<>();
        sends.forEach(send -> perDestination.computeIfAbsent(send.address(), a -> new ArrayList<>()).add(send.nanos()));
        perDestination.forEach((address, times) -> {
            List<Long> sorted = times.stream().sorted().toList();
            // In any window of one second, at most the rate plus the burst (and one for the window's edges).
            for (int i = 0; i < sorted.size(); i++) {
                int j = i;
                while (j < sorted.size() && sorted.get(j) - sorted.get(i) < TimeUnit.SECONDS.toNanos(1)) {
                    j++;
                }
                assertThat(j - i).as("sends to %s within one second", address)
                        .isLessThanOrEqualTo((int) PACE.perSecond() + PACE.burst() + 1);
            }
        });
    }

    private DeliveryStage stage(String name, Route route, ConcurrentLinkedQueue<Send> sends) {
        RecordingChannel channel = new RecordingChannel("recorded", name, PACE, sends);
        Map<String, Channel> channels = Map.of(channel.name(), channel);
        NotifierClients clients = new NotifierClients(new KafkaClientSettings(Map.of(
                "bootstrap.servers", broker.bootstrapServers(), "session.timeout.ms", 6000, "heartbeat.interval.ms", 1000)));
        return new DeliveryStage(PREFIX + "-deliveries", new RouteTable(List.of(route), channels), channels,
                new DeliveryRecords(TOPICS), new NotifierMetrics(new SimpleMeterRegistry(), List.of(channel)),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), 3, TracerProvider.noop().get("test"), clients,
                new DeliveryStage.Limits(8, 5_000, 16 * 1024 * 1024, 500, 50_000));
    }

    private void publish(Route route) throws Exception {
        RouteTable table = new RouteTable(List.of(route), Map.of("recorded", new RecordingChannel("recorded", "none", PACE,
                new ConcurrentLinkedQueue<>())));
        DeliveryRecords records = new DeliveryRecords(TOPICS);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < DELIVERIES; i++) {
                byte[] body = ("{\"type\":\"trial-period-ended\",\"accounts\":[{\"account_name\":\"Hand-over " + i
                        + "\",\"account_id\":\"" + i + "\"}]}").getBytes(StandardCharsets.UTF_8);
                var target = table.targetsOf(new dev.herald.events.WebhookParser().parse(body) instanceof
                        dev.herald.events.ParseOutcome.Parsed parsed ? parsed.event() : null).get(i % DESTINATIONS);
                Delivery delivery = Delivery.first("handover-" + i, "trial-period-ended", target.route(),
                        target.destination(), Instant.now(), null, body);
                producer.send(records.delivery(delivery.headers(), body));
            }
            producer.flush();
        }
    }
}
