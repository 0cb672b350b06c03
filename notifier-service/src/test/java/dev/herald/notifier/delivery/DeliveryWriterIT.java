package dev.herald.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.DeliveryHeaders;
import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.kafka.embedded.TopicReader;
import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.notifier.kafka.NotifierClients;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The writer asks its gate again just before each transaction: a pod that froze while settlements waited for the
 * writer, and lost their partition meanwhile, drops them on waking; the settlements of a partition it kept are
 * written. On a real broker, with the records read back from the done topic.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class DeliveryWriterIT {

    private static final Topics TOPICS = new Topics("writergate");

    KafkaBroker broker;

    @Test
    void aSettlementWaitingForTheWriterWhenItsPartitionIsLostIsDroppedNotWritten() throws Exception {
        broker.createTopics(List.of(TOPICS.deliveries(), TOPICS.deliveriesDone()), 2);
        DeliveryRecords records = new DeliveryRecords(TOPICS);
        Assignment kept = new Assignment(0, null);
        Assignment lost = new Assignment(1, null);

        // The gate stands for the ownership lease: closed (the pod froze) until the test opens it.
        CountDownLatch leaseRenewed = new CountDownLatch(1);
        AtomicInteger asked = new AtomicInteger();
        DeliveryWriter.Gate gate = assignment -> {
            asked.incrementAndGet();
            if (leaseRenewed.getCount() > 0) {
                return DeliveryWriter.Verdict.WAIT;
            }
            return assignment.lost() ? DeliveryWriter.Verdict.DROP : DeliveryWriter.Verdict.WRITE;
        };
        DeliveryWriter writer = new DeliveryWriter(new NotifierClients(new KafkaClientSettings(Map.of(
                "bootstrap.servers", broker.bootstrapServers()))), records, gate);
        AtomicReference<long[]> keptMarks = new AtomicReference<>();
        AtomicInteger keptDropped = new AtomicInteger();
        AtomicInteger lostWritten = new AtomicInteger();
        AtomicInteger lostDropped = new AtomicInteger();
        writer.start();
        try {
            writer.write(settlement(records, kept, 7), (settlement, marks) -> keptMarks.set(marks),
                    keptDropped::incrementAndGet);
            writer.write(settlement(records, lost, 9), (settlement, marks) -> lostWritten.incrementAndGet(),
                    lostDropped::incrementAndGet);
            // Both are asked while the lease is out, and asked again after it.
            await().atMost(Duration.ofSeconds(30)).until(() -> asked.get() > 4);

            // While both wait, the group moves partition 1 to another pod; then the pod wakes.
            lost.lose();
            leaseRenewed.countDown();

            await().atMost(Duration.ofSeconds(30)).until(() -> keptMarks.get() != null && lostDropped.get() == 1);
            assertThat(keptDropped).hasValue(0);
            assertThat(lostWritten).as("nothing written for the lost partition").hasValue(0);
            assertThat(lostDropped).as("its owner told once").hasValue(1);
        } finally {
            leaseRenewed.countDown();
            writer.stop(Duration.ofSeconds(10));
        }

        List<ConsumerRecord<String, byte[]>> marks = doneMarks();
        assertThat(marks).extracting(ConsumerRecord::partition).containsExactly(0);
        assertThat(marks).extracting(ConsumerRecord::key).containsExactly("delivery-0-7");
        assertThat(keptMarks.get()).containsExactly(marks.get(0).offset());
    }

    @Test
    void whatAnAttemptLedToThatKafkaRefusesForGoodIsDeadLetteredWithoutItsBodyOnceWithItsDoneMark() throws Exception {
        Topics topics = new Topics("writerrefused");
        broker.createTopics(List.of(topics.deliveries(), topics.deliveriesDone(), topics.notifierDeadLetter()), 1);
        DeliveryRecords records = new DeliveryRecords(topics);
        Assignment assignment = new Assignment(0, null);
        assignment.taken();
        DeliveryWriter writer = new DeliveryWriter(new NotifierClients(new KafkaClientSettings(Map.of(
                "bootstrap.servers", broker.bootstrapServers()))), records, a -> DeliveryWriter.Verdict.WRITE);
        // A delivery at the size limit: its retry (the body, and headers grown by the error) is larger than any record
        // Kafka takes.
        byte[] body = new byte[RecordSizeLimits.EVENT_RECORD_BYTES - 200];
        DeliveryHeaders headers = new DeliveryHeaders("d-1", "e-1", "trial-period-ended", "r", "email", "k",
                "ops@example.com", 1, Instant.EPOCH, null, null, null);
        Pending pending = new Pending(assignment, 3, new Delivery(headers,
                new Destination("email", "ops@example.com", "ops@example.com", "k"), body), null, Optional.empty(),
                body.length, Instant.EPOCH);
        Settlement settlement = new Settlement(List.of(pending), List.of(records.done(0, 3, "d-1", "retried")),
                List.of(records.retry(headers.withError("SMTP 451: try again"), body)), Duration.ZERO);
        AtomicReference<long[]> marks = new AtomicReference<>();
        AtomicInteger dropped = new AtomicInteger();
        writer.start();
        try {
            writer.write(settlement, (written, offsets) -> marks.set(offsets), dropped::incrementAndGet);
            await().atMost(Duration.ofSeconds(30)).until(() -> marks.get() != null);
        } finally {
            writer.stop(Duration.ofSeconds(10));
        }
        assertThat(dropped).hasValue(0);

        try (TopicReader deadLetters = new TopicReader(broker.bootstrapServers(), topics.notifierDeadLetter());
                TopicReader deliveries = new TopicReader(broker.bootstrapServers(), topics.deliveries())) {
            assertThat(deadLetters.readToEnd(Duration.ofSeconds(30))).singleElement().satisfies(dead -> {
                assertThat(dead.value()).isEmpty();
                assertThat(TopicReader.header(dead, DeliveryHeaders.ERROR))
                        .startsWith("Kafka refused what this attempt led to: ").contains("bytes when serialized");
            });
            assertThat(deliveries.readToEnd(Duration.ofSeconds(30))).as("no retry").isEmpty();
        }
        try (TopicReader done = new TopicReader(broker.bootstrapServers(), topics.deliveriesDone())) {
            assertThat(done.readToEnd(Duration.ofSeconds(30))).singleElement()
                    .satisfies(mark -> assertThat(mark.offset()).isEqualTo(marks.get()[0]));
        }
    }

    @Test
    void aPodStoppingWhileItsTransactionCannotCompleteLeavesTheDeliveriesToTheNextOwnerOnce() throws Exception {
        Topics topics = new Topics("writerclosing");
        broker.createTopics(List.of(topics.deliveries(), topics.deliveriesDone()), 1);
        DeliveryRecords records = new DeliveryRecords(topics);
        AtomicInteger producers = new AtomicInteger();
        NotifierClients clients = new NotifierClients(new KafkaClientSettings(Map.of(
                "bootstrap.servers", broker.bootstrapServers()))) {
            @Override
            public org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> transactionalProducer(String name) {
                producers.incrementAndGet();
                return super.transactionalProducer(name);
            }
        };
        DeliveryWriter writer = new DeliveryWriter(clients, records, a -> DeliveryWriter.Verdict.WRITE);
        // Its done mark names a partition Kafka does not have: the transaction waits (for metadata that never comes),
        // as it would for a Kafka gone quiet, until the pod stops and closes the writer's producer under it.
        Assignment assignment = new Assignment(7, null);
        AtomicInteger written = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(writer::isReady);
            writer.write(settlement(records, assignment, 3), (settlement, marks) -> written.incrementAndGet(),
                    dropped::incrementAndGet);
        } finally {
            writer.stop(Duration.ofMillis(500));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> !writer.isHealthy());
        assertThat(dropped).as("its deliveries left not done, told once").hasValue(1);
        assertThat(written).hasValue(0);
        assertThat(producers).as("its batch not tried again on a new producer").hasValue(1);
    }

    private static Settlement settlement(DeliveryRecords records, Assignment assignment, long offset) {
        assignment.taken();
        Pending pending = new Pending(assignment, offset, null, null, Optional.empty(), 0, Instant.EPOCH);
        return new Settlement(List.of(pending),
                List.of(records.done(assignment.partition(), offset, "delivery-" + assignment.partition() + "-" + offset,
                        "sent")),
                List.of(), Duration.ZERO);
    }

    /** Every committed done mark, read to the end of both partitions. */
    private List<ConsumerRecord<String, byte[]>> doneMarks() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPICS.deliveriesDone(), 0),
                    new TopicPartition(TOPICS.deliveriesDone(), 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }
}
