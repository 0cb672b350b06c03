package dev.herald.notifier.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.DeliveryHeaders;
import dev.herald.events.Topics;
import dev.herald.events.UniskaiEvent;
import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.TopicReader;
import dev.herald.notifier.delivery.Backoff;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.DeliveryRecords;
import dev.herald.notifier.delivery.DeliveryStage;
import dev.herald.notifier.delivery.NotifierMetrics;
import dev.herald.notifier.delivery.Fold;
import dev.herald.notifier.delivery.Pace;
import dev.herald.notifier.delivery.SendResult;
import dev.herald.notifier.it.RecordingChannel.Send;
import dev.herald.notifier.kafka.NotifierClients;
import dev.herald.notifier.route.Route;
import dev.herald.notifier.route.RouteTable;
import dev.herald.notifier.route.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.TracerProvider;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A slow destination and a fast one on the same deliveries partition, the slow one's backlog first and larger than a
 * destination may keep in memory: the fast one gets all of its deliveries while the slow one is still working through
 * its backlog, in order, each delivery once. Without leaving deliveries in Kafka, the slow backlog fills the
 * partition's memory budget at the first poll, the partition is paused until the slow destination has worked half of
 * it off (25 of its deliveries at least, 25 s), and the fast destination waits as long.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class SlowDestinationIT {

    private static final Topics TOPICS = new Topics("slowdest");
    /** The slow destination's deliveries first, then the fast one's, on one partition. */
    private static final int SLOW = 45;
    private static final int FAST = 1_200;
    /** 45 slow deliveries take 45 s at this pace. */
    private static final Pace SLOW_PACE = new Pace(1, 1);
    private static final int LANE_DELIVERIES = 16;
    /** Above two full lanes: only a slow backlog kept in memory fills it. */
    private static final int PENDING_RECORDS = 40;

    KafkaBroker broker;

    @Test
    void aSlowDestinationsBacklogHoldsBackOnlyItself() throws Exception {
        createTopics(TOPICS);
        ConcurrentLinkedQueue<Send> sends = new ConcurrentLinkedQueue<>();
        RecordingChannel slow = new RecordingChannel("slow", "stage", SLOW_PACE, sends);
        RecordingChannel fast = new RecordingChannel("fast", "stage", Pace.unlimited(8), sends);
        Map<String, Channel> channels = Map.of("slow", slow, "fast", fast);
        RouteTable routes = bothDestinations(channels);
        List<String> slowIds = publish(TOPICS, routes, SLOW, FAST, false);
        DeliveryStage stage = stage(TOPICS, routes, channels,
                new DeliveryStage.Limits(8, PENDING_RECORDS, 16 * 1024 * 1024, LANE_DELIVERIES, 50_000));
        long started = System.nanoTime();
        stage.start();
        List<Send> slowBeforeLastFast;
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> sends.stream().filter(send -> send.channel().equals("fast")).count() >= FAST);
            slowBeforeLastFast = sends.stream().filter(send -> send.channel().equals("slow")).toList();
            System.out.printf("SLOW-DESTINATION the fast destination had all %d deliveries after %.1f s, the slow one %d of %d%n",
                    FAST, (System.nanoTime() - started) / 1e9, slowBeforeLastFast.size(), SLOW);
            // The slow destination goes on at its pace, in order; a few more of its deliveries are enough to see it.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sends.stream().filter(send -> send.channel().equals("slow")).count()
                            >= slowBeforeLastFast.size() + 3);
        } finally {
            stage.stop();
        }

        List<String> fastIds = sends.stream().filter(send -> send.channel().equals("fast")).map(Send::deliveryId).toList();
        List<String> slowSent = sends.stream().filter(send -> send.channel().equals("slow")).map(Send::deliveryId).toList();
        assertThat(fastIds).hasSize(FAST).doesNotHaveDuplicates();
        assertThat(slowBeforeLastFast.size())
                .as("slow deliveries sent before the fast destination had all of its %d (the slow backlog of %d takes %d s)",
                        FAST, SLOW, (long) (SLOW / SLOW_PACE.perSecond()))
                .isLessThan(20);
        assertThat(slowSent).as("the slow destination's deliveries so far: the first of its backlog, in order, once each")
                .containsExactlyElementsOf(slowIds.subList(0, slowSent.size()));
    }

    /**
     * The records read and not committed pass their cap while most of a destination's backlog is left in Kafka: the
     * partition is paused for its span, yet it must still be read again for those deliveries (the oldest of them
     * holds the commit), or they never go.
     */
    @Test
    void deliveriesLeftInKafkaAreReadAgainWhenTheirPartitionIsPausedForItsSpan() throws Exception {
        Topics topics = new Topics("slowspan");
        createTopics(topics);
        ConcurrentLinkedQueue<Send> sends = new ConcurrentLinkedQueue<>();
        RecordingChannel slow = new RecordingChannel("slow", "stage", new Pace(20, 1), sends);
        RecordingChannel fast = new RecordingChannel("fast", "stage", Pace.unlimited(8), sends);
        Map<String, Channel> channels = Map.of("slow", slow, "fast", fast);
        RouteTable routes = bothDestinations(channels);
        int slowCount = 60;
        int fastCount = 120;
        // Interleaved, one slow delivery and two fast ones: passes reading the partition again cross records of the
        // fast destination that are done; none may go twice.
        List<String> slowIds = publish(topics, routes, slowCount, fastCount, true);
        // 8 kept per destination, the rest left in Kafka; 20 records read and not committed pause the partition.
        DeliveryStage stage = stage(topics, routes, channels, new DeliveryStage.Limits(8, 40, 16 * 1024 * 1024, 8, 20));
        stage.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> sends.size() >= slowCount + fastCount);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> sends.size() == slowCount + fastCount);
        } finally {
            stage.stop();
        }
        assertThat(sends.stream().filter(send -> send.channel().equals("slow")).map(Send::deliveryId).toList())
                .as("the slow destination: every delivery, in order, once").containsExactlyElementsOf(slowIds);
        assertThat(sends.stream().filter(send -> send.channel().equals("fast")).map(Send::deliveryId))
                .as("the fast destination: every delivery once").hasSize(fastCount).doesNotHaveDuplicates();
    }

    /**
     * A destination so far behind that the topic's retention deletes deliveries it left in Kafka before it has room
     * for them: those are dead-lettered, each once, naming its offset and destination, and the destination goes on
     * with the deliveries still stored. Without it the destination waited for the first deleted one for good.
     */
    @Test
    void deliveriesDeletedByRetentionBeforeBeingReadAgainAreDeadLetteredAndTheirDestinationGoesOn() throws Exception {
        Topics topics = new Topics("slowgone");
        createTopics(topics);
        ConcurrentLinkedQueue<Send> sends = new ConcurrentLinkedQueue<>();
        CountDownLatch deleted = new CountDownLatch(1);
        // The slow destination's first send waits until the records are deleted: nothing is read again before that.
        Channel slow = new GatedChannel(new RecordingChannel("slow", "stage", new Pace(4, 1), sends), deleted);
        RecordingChannel fast = new RecordingChannel("fast", "stage", Pace.unlimited(8), sends);
        Map<String, Channel> channels = Map.of("slow", slow, "fast", fast);
        RouteTable routes = bothDestinations(channels);
        int count = 40;
        int deletedBefore = 20;
        // Offsets 0 to 39: 8 kept in memory (0 to 7), 8 to 39 left in Kafka; 8 to 19 are deleted.
        List<String> slowIds = publish(topics, routes, count, 0, false);
        DeliveryStage stage = stage(topics, routes, channels, new DeliveryStage.Limits(8, 40, 16 * 1024 * 1024, 8, 50_000));
        stage.start();
        List<ConsumerRecord<String, byte[]>> deadLetters;
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> ((GatedChannel) slow).waiting());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.deleteRecords(Map.of(new TopicPartition(topics.deliveries(), 0),
                        RecordsToDelete.beforeOffset(deletedBefore))).all().get(30, TimeUnit.SECONDS);
            }
            deleted.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> sends.stream().map(Send::deliveryId)
                    .anyMatch(slowIds.get(count - 1)::equals));
            try (TopicReader reader = new TopicReader(broker.bootstrapServers(), topics.notifierDeadLetter())) {
                deadLetters = reader.readToEnd(Duration.ofSeconds(30));
            }
        } finally {
            deleted.countDown();
            stage.stop();
        }

        List<String> sent = sends.stream().map(Send::deliveryId).toList();
        assertThat(sent).as("what was kept in memory, then what is still stored, in order, once each")
                .containsExactlyElementsOf(concat(slowIds.subList(0, 8), slowIds.subList(deletedBefore, count)));
        assertThat(deadLetters).extracting(record -> TopicReader.header(record, "herald_source"))
                .as("each delivery deleted before it was sent, dead-lettered once")
                .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(8, deletedBefore)
                        .mapToObj(offset -> topics.deliveries() + "-0@" + offset).toList());
        assertThat(deadLetters).allSatisfy(record -> {
            assertThat(TopicReader.header(record, DeliveryHeaders.ERROR)).contains("deleted by the topic's retention");
            assertThat(TopicReader.header(record, DeliveryHeaders.CHANNEL)).isEqualTo("slow");
            assertThat(record.key()).isEqualTo(TopicReader.header(record, DeliveryHeaders.DESTINATION_KEY)).isNotBlank();
        });
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    /** A channel whose first send waits for a latch. */
    private static final class GatedChannel implements Channel {
        private final Channel channel;
        private final CountDownLatch gate;
        private volatile boolean waiting;

        GatedChannel(Channel channel, CountDownLatch gate) {
            this.channel = channel;
            this.gate = gate;
        }

        boolean waiting() {
            return waiting;
        }

        @Override
        public String name() {
            return channel.name();
        }

        @Override
        public Optional<String> refusal(String address) {
            return channel.refusal(address);
        }

        @Override
        public String redact(String address) {
            return channel.redact(address);
        }

        @Override
        public Pace pace() {
            return channel.pace();
        }

        @Override
        public SendResult send(Delivery delivery, UniskaiEvent event) {
            waiting = true;
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return channel.send(delivery, event);
        }

        @Override
        public SendResult sendFold(Fold fold) {
            return channel.sendFold(fold);
        }
    }

    /** One route sending every event to the slow destination and to the fast one. */
    private static RouteTable bothDestinations(Map<String, Channel> channels) {
        Route route = new Route("both", List.of("*"), List.of(), Map.of("slow", List.of("slow-destination"),
                "fast", List.of("fast-destination")), Optional.empty());
        return new RouteTable(List.of(route), channels);
    }

    private void createTopics(Topics topics) {
        broker.createTopics(List.of(topics.deliveries(), topics.deliveriesDone()), 1);
        broker.createTopics(List.of(topics.notifierDeadLetter(), topics.outcomes()), 1);
    }

    private DeliveryStage stage(Topics topics, RouteTable routes, Map<String, Channel> channels, DeliveryStage.Limits limits) {
        NotifierClients clients = new NotifierClients(new KafkaClientSettings(Map.of("bootstrap.servers",
                broker.bootstrapServers())));
        return new DeliveryStage(topics.prefix() + "-deliveries", routes, channels, new DeliveryRecords(topics),
                new NotifierMetrics(new SimpleMeterRegistry(), List.copyOf(channels.values())),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)), 3, TracerProvider.noop().get("test"), clients,
                limits);
    }

    /**
     * Deliveries in partition order: the slow ones, then the fast ones, or ({@code interleaved}) the fast ones spread
     * evenly between the slow ones. Returns the slow ones' ids in their order.
     */
    private List<String> publish(Topics topics, RouteTable routes, int slowCount, int fastCount, boolean interleaved)
            throws Exception {
        DeliveryRecords records = new DeliveryRecords(topics);
        byte[] body = "{\"type\":\"trial-period-ended\",\"accounts\":[{\"account_name\":\"Slow\",\"account_id\":\"1\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        UniskaiEvent event = new dev.herald.events.WebhookParser().parse(body)
                instanceof dev.herald.events.ParseOutcome.Parsed parsed ? parsed.event() : null;
        List<Target> targets = routes.targetsOf(event);
        Target slowTarget = targets.stream().filter(t -> t.destination().channel().equals("slow")).findFirst().orElseThrow();
        Target fastTarget = targets.stream().filter(t -> t.destination().channel().equals("fast")).findFirst().orElseThrow();
        List<String> slowIds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new StringSerializer(), new ByteArraySerializer())) {
            int fastSent = 0;
            for (int i = 0; i < slowCount; i++) {
                Delivery slowDelivery = Delivery.first("slow-" + i, "trial-period-ended", slowTarget.route(),
                        slowTarget.destination(), Instant.now(), null, body);
                slowIds.add(slowDelivery.id());
                producer.send(records.delivery(slowDelivery.headers(), body));
                for (int f = 0; interleaved && f < fastCount / slowCount; f++) {
                    producer.send(records.delivery(fast(fastTarget, fastSent++, body).headers(), body));
                }
            }
            while (fastSent < fastCount) {
                producer.send(records.delivery(fast(fastTarget, fastSent++, body).headers(), body));
            }
            producer.flush();
        }
        return slowIds;
    }

    private static Delivery fast(Target target, int i, byte[] body) {
        return Delivery.first("fast-" + i, "trial-period-ended", target.route(), target.destination(), Instant.now(),
                null, body);
    }
}
