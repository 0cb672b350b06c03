package dev.herald.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.notifier.kafka.NotifierClients;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hand-over after a crash, on a real broker: owner A is killed inside a transaction that holds a done mark, owner
 * B takes the partition and marks the deliveries it sends, and owner C, given the partition next, must see B's marks
 * although they lie behind A's open transaction, or it sends B's deliveries again.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class DoneMarksIT {

    private static final Topics TOPICS = new Topics("donemarks");

    KafkaBroker broker;

    @Test
    void marksCommittedBehindADeadOwnersOpenTransactionAreRead() {
        broker.createTopics(List.of(TOPICS.deliveries(), TOPICS.deliveriesDone()), 1);
        DeliveryRecords records = new DeliveryRecords(TOPICS);
        TopicPartition deliveries = new TopicPartition(TOPICS.deliveries(), 0);

        // A: killed after writing the mark of delivery 0 in a transaction it never ends (the broker aborts it later).
        KafkaProducer<String, byte[]> killed = transactional(2_000);
        killed.initTransactions();
        killed.beginTransaction();
        killed.send(records.done(0, 0, "delivery-0", "sent"));
        killed.flush();

        // B: the next owner marks deliveries 1 to 5, committed, behind A's open transaction.
        try (KafkaProducer<String, byte[]> next = transactional(10_000)) {
            next.initTransactions();
            next.beginTransaction();
            for (long offset = 1; offset <= 5; offset++) {
                next.send(records.done(0, offset, "delivery-" + offset, "sent"));
            }
            next.commitTransaction();
        }

        // C: given the partition now, committed offset 0, marks from the start of the done partition.
        NotifierClients clients = new NotifierClients(new KafkaClientSettings(Map.of("bootstrap.servers",
                broker.bootstrapServers())));
        DoneMarks marks = new DoneMarks(clients.partitionReader("donemarks-reader"), clients.admin(), TOPICS.deliveriesDone());
        try {
            PartitionProgress progress = marks.load(List.of(deliveries),
                    Map.of(deliveries, new OffsetAndMetadata(0, DoneMarks.METADATA_PREFIX + 0))).get(0);

            for (long offset = 1; offset <= 5; offset++) {
                assertThat(progress.doneBefore(offset)).as("delivery %d, marked by B, is done", offset).isTrue();
            }
            assertThat(progress.doneBefore(0)).as("delivery 0: its mark died with A's transaction").isFalse();
        } finally {
            marks.close();
            killed.close(Duration.ZERO);
        }
    }

    private KafkaProducer<String, byte[]> transactional(int timeoutMs) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "donemarks-" + UUID.randomUUID(),
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs), new StringSerializer(), new ByteArraySerializer());
    }
}
