package dev.herald.notifier.fanout;

import dev.herald.events.EventHeaders;
import dev.herald.events.EventLogContext;
import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.DeliveryRecords;
import dev.herald.notifier.delivery.NotifierMetrics;
import dev.herald.notifier.kafka.NotifierClients;
import dev.herald.notifier.kafka.RecordRefusal;
import dev.herald.notifier.route.RouteTable;
import dev.herald.notifier.route.Target;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Stage one, for one event type: reads its per-type topic with the type's own consumer group (so KEDA scales it on
 * that topic's lag) and turns each event into one delivery record per destination of the routes it matches, written
 * to the deliveries topic in a Kafka transaction together with the consumed offsets: each event is fanned out exactly
 * once, however often the group rebalances or a pod dies. Nothing is sent from here, so nothing here waits on a peer.
 *
 * <p>A record that is not a readable event (no body, not JSON, a header without a value) goes to the dead-letter
 * topic with the reason, in the same transaction, once. A batch Kafka refuses for good is retried one record per
 * transaction, and the record Kafka refuses alone is dead-lettered, so no record stops the partition.
 */
public final class FanOut implements Runnable {

    private static final Logger LOG = Logger.getLogger(FanOut.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);

    private final String topic;
    private final String groupId;
    private final RouteTable routes;
    private final DeliveryRecords records;
    private final NotifierMetrics metrics;
    private final NotifierClients clients;
    private final EventReader reader = new EventReader();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final KafkaConsumer<String, byte[]> consumer;
    private KafkaProducer<String, byte[]> producer;
    /** The last offset of each partition in the batch being fanned out. */
    private final Map<TopicPartition, Long> lastPolled = new HashMap<>();
    /** Counts and log lines of the transaction being made, for when it is stored. */
    private final List<Runnable> afterCommit = new ArrayList<>();
    private volatile boolean paused;
    private volatile boolean pauseApplied;
    private volatile Thread thread;

    public FanOut(String topic, String groupId, RouteTable routes, DeliveryRecords records, NotifierMetrics metrics,
            NotifierClients clients) {
        this.topic = topic;
        this.groupId = groupId;
        this.routes = routes;
        this.records = records;
        this.metrics = metrics;
        this.clients = clients;
        this.consumer = clients.groupConsumer(groupId, 200);
        metrics.bind(consumer);
    }

    public String topic() {
        return topic;
    }

    public String groupId() {
        return groupId;
    }

    public void start() {
        thread = new Thread(this, "herald-" + groupId);
        thread.start();
    }

    public boolean isHealthy() {
        Thread current = thread;
        return running.get() && current != null && current.isAlive();
    }

    /** Stops reading (the group keeps its partitions, so the lag shows) until {@link #resume()}. */
    public void pause() {
        paused = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!pauseApplied && isHealthy() && System.nanoTime() < deadline) {
            // The poll thread applies the pause within one poll (POLL): check every millisecond rather than spin.
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }

    public void resume() {
        paused = false;
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
        Thread current = thread;
        if (current != null) {
            try {
                current.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run() {
        try {
            producer = newProducer();
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    // Given during a poll while paused: paused before that poll returns any of their records.
                    if (paused) {
                        consumer.pause(partitions);
                    }
                }
            });
            while (running.get()) {
                if (paused) {
                    consumer.pause(consumer.assignment());
                    pauseApplied = true;
                } else if (pauseApplied) {
                    consumer.resume(consumer.assignment());
                    pauseApplied = false;
                }
                ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
                if (!batch.isEmpty()) {
                    fanOut(batch);
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.errorf(e, "Fan-out %s stopped", groupId);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Fan-out %s of %s stopped; the pod turns unready", groupId, topic);
        } finally {
            running.set(false);
            close();
        }
    }

    private void fanOut(ConsumerRecords<String, byte[]> batch) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        batch.forEach(all::add);
        lastPolled.clear();
        all.forEach(record -> lastPolled.merge(new TopicPartition(record.topic(), record.partition()), record.offset(), Math::max));
        try {
            commitInOneTransaction(all);
        } catch (KafkaException | IllegalStateException e) {
            abortQuietly();
            if (RecordRefusal.causedByTheRecords(e) && all.size() > 1) {
                LOG.warnf("Kafka refused a batch of %d records of %s for good (%s); writing them one by one", all.size(),
                        topic, RecordRefusal.reason(e));
                oneByOne(all);
            } else if (RecordRefusal.causedByTheRecords(e)) {
                deadLetterAlone(all.get(0), e);
            } else {
                LOG.warnf("Could not fan out %d records of %s (%s); reading them again in %d s", all.size(), topic,
                        e.getMessage(), PAUSE_AFTER_FAILURE.toSeconds());
                rewind();
                sleep(PAUSE_AFTER_FAILURE);
            }
        }
    }

    private void oneByOne(List<ConsumerRecord<String, byte[]>> all) {
        for (ConsumerRecord<String, byte[]> record : all) {
            try {
                commitInOneTransaction(List.of(record));
            } catch (KafkaException | IllegalStateException e) {
                abortQuietly();
                if (!RecordRefusal.causedByTheRecords(e)) {
                    rewind();
                    return;
                }
                if (!deadLetterAlone(record, e)) {
                    return; // rewound: the records after it are read again, not committed past
                }
            }
        }
    }

    /**
     * The record's deliveries could not be written for good: its body goes to the dead-letter topic instead; when Kafka
     * refuses that too (a body at the size limit, grown by the reason), a dead letter without the body; and when it
     * refuses even that, the record is passed over with an error naming it (read again, it would be refused for ever).
     * False when Kafka could not be written at all: the partitions are rewound, to be read again after a pause.
     */
    private boolean deadLetterAlone(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
        String reason = "Kafka refused its deliveries: " + RecordRefusal.reason(cause);
        List<Runnable> tries = List.of(
                () -> deadLetter(record, record.value(), reason),
                () -> deadLetter(record, new byte[0], reason + "; the body is left out: Kafka refused it in the dead letter too"),
                () -> passOver(record, reason + "; Kafka refused even a dead letter without its body"));
        RuntimeException last = cause;
        for (Runnable attempt : tries) {
            try {
                attempt.run();
                return true;
            } catch (KafkaException | IllegalStateException e) {
                abortQuietly();
                last = e;
                if (!RecordRefusal.causedByTheRecords(e)) {
                    break; // not the record's doing: Kafka is read again later
                }
            }
        }
        pauseAndRewind(last);
        return false;
    }

    /** Its offset committed alone, and this error the one trace of it. */
    private void passOver(ConsumerRecord<String, byte[]> record, String reason) {
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(Map.of(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1)), consumer.groupMetadata());
        commit();
        metrics.unreadable(topic);
        LOG.errorf("Record %s-%d@%d is passed over, neither delivered nor dead-lettered: %s", record.topic(),
                record.partition(), record.offset(), reason);
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, byte[] body, String reason) {
        producer.beginTransaction();
        producer.send(records.unreadable(record.key(), body, eventFacts(record), reason, record.topic(), record.partition(),
                record.offset()));
        producer.sendOffsetsToTransaction(Map.of(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1)), consumer.groupMetadata());
        commit();
        metrics.unreadable(topic);
        LOG.errorf("Record %s-%d@%d is dead-lettered: %s", record.topic(), record.partition(), record.offset(), reason);
    }

    private void pauseAndRewind(RuntimeException e) {
        LOG.warnf("Could not write to Kafka for %s (%s); reading again in %d s", topic, e.getMessage(),
                PAUSE_AFTER_FAILURE.toSeconds());
        rewind();
        sleep(PAUSE_AFTER_FAILURE);
    }

    private void commitInOneTransaction(List<ConsumerRecord<String, byte[]>> batch) {
        // Counted and logged once the transaction is stored: an aborted one is made again, and would count twice.
        afterCommit.clear();
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int deliveries = 0;
        for (ConsumerRecord<String, byte[]> record : batch) {
            for (ProducerRecord<String, byte[]> out : deliveriesOf(record)) {
                producer.send(out);
                deliveries++;
            }
            offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
        }
        // Past the transaction markers the router writes after a partition's last record, so a caught-up group
        // shows a lag of 0 (as KEDA computes it), not 1.
        offsets.replaceAll((partition, next) -> next.offset() - 1 == lastPolled.getOrDefault(partition, -1L)
                ? new OffsetAndMetadata(Math.max(next.offset(), consumer.position(partition))) : next);
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        commit();
        afterCommit.forEach(Runnable::run);
        afterCommit.clear();
        LOG.debugf("Fanned out %d records of %s into %d deliveries", (Object) batch.size(), topic, deliveries);
    }

    /** The delivery records of one event, or its dead letter when it is not a readable event. */
    private List<ProducerRecord<String, byte[]>> deliveriesOf(ConsumerRecord<String, byte[]> record) {
        Map<String, String> facts = eventFacts(record);
        String eventId = facts.get(EventHeaders.CE_ID);
        try (var context = EventLogContext.of(eventId, facts.get(EventHeaders.CE_TYPE), facts.get(EventHeaders.TRACEPARENT))) {
            if (eventId == null || eventId.isBlank()) {
                return List.of(unreadable(record, facts, "no ce_id header: not a record the router wrote"));
            }
            if (record.value() == null || record.value().length == 0) {
                return List.of(unreadable(record, facts, "the record has no body"));
            }
            Optional<UniskaiEvent> read = reader.read(record.value());
            if (read.isEmpty()) {
                return List.of(unreadable(record, facts, "the body is not a readable Uniskai event"));
            }
            try {
                return deliveriesOf(record, facts, eventId, read.get());
            } catch (RuntimeException e) {
                // A fault of Herald's with this event (not Kafka's, which the caller handles): dead-lettered once, rather
                // than stopping the fan-out of the whole type on it, restart after restart.
                return List.of(unreadable(record, facts, "its deliveries could not be made: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            }
        }
    }

    private List<ProducerRecord<String, byte[]>> deliveriesOf(ConsumerRecord<String, byte[]> record, Map<String, String> facts,
            String eventId, UniskaiEvent event) {
        List<Target> targets = routes.targetsOf(event);
        if (targets.isEmpty()) {
            afterCommit.add(() -> {
                metrics.unrouted(event.type());
                LOG.infof("No route matches event %s (%s); nothing to deliver", eventId, shown(event.type()));
            });
            return List.of();
        }
        Instant receivedAt = instant(facts.get(EventHeaders.CE_TIME));
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(targets.size());
        for (Target target : targets) {
            Delivery delivery = Delivery.first(eventId, event.type(), target.route(), target.destination(), receivedAt,
                    facts.get(EventHeaders.TRACEPARENT), record.value());
            out.add(records.delivery(delivery.headers(), record.value()));
        }
        return out;
    }

    private ProducerRecord<String, byte[]> unreadable(ConsumerRecord<String, byte[]> record, Map<String, String> facts,
            String reason) {
        afterCommit.add(() -> {
            metrics.unreadable(topic);
            LOG.errorf("Record %s-%d@%d went to the dead-letter topic: %s", record.topic(), record.partition(),
                    record.offset(), reason);
        });
        return records.unreadable(record.key(), record.value(), facts, reason, record.topic(), record.partition(),
                record.offset());
    }

    /** The CloudEvents facts the record carries; a header without a value counts as absent. */
    private static Map<String, String> eventFacts(ConsumerRecord<String, byte[]> record) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String name : List.of(EventHeaders.CE_ID, EventHeaders.CE_TYPE, EventHeaders.CE_TIME, EventHeaders.TRACEPARENT)) {
            String value = DeliveryRecords.header(record.headers(), name);
            if (value != null) {
                facts.put(name, value);
            }
        }
        return facts;
    }

    /** Back to the last committed offsets: what the aborted transaction read is read again. */
    private void rewind() {
        var assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(assignment);
        for (TopicPartition partition : assignment) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset.offset());
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    /** The group's committed offsets, asked again while Kafka does not answer (the fan-out waits; its lag shows it). */
    private Map<TopicPartition, OffsetAndMetadata> committedOffsets(java.util.Set<TopicPartition> partitions) {
        return untilKafkaAnswers("tell the committed offsets of " + groupId, () -> consumer.committed(partitions));
    }

    /** {@code call} again, with a growing pause, while Kafka times out (not once the fan-out stops). */
    private <T> T untilKafkaAnswers(String what, java.util.function.Supplier<T> call) {
        long pause = 100;
        while (true) {
            try {
                return call.get();
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (!running.get()) {
                    throw e;
                }
                LOG.warnf("Kafka did not %s in time (%s); asking again", what, e.getMessage());
                sleep(Duration.ofMillis(pause));
                pause = Math.min(pause * 2, 5_000);
            }
        }
    }

    private void abortQuietly() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            // A producer that cannot abort (fenced, timed out, in a fatal state) is replaced.
            producer.close(Duration.ZERO);
            producer = newProducer();
        }
    }

    /**
     * Commits the open transaction. A commit that timed out is retried on the same producer (Kafka allows it), so a
     * batch whose outcome is unknown is never fanned out again by another producer.
     */
    private void commit() {
        untilKafkaAnswers("confirm the fan-out of " + topic, () -> {
            producer.commitTransaction();
            return null;
        });
    }

    /** A new transactional producer, trying again until Kafka answers (the fan-out waits; its lag shows it). */
    private KafkaProducer<String, byte[]> newProducer() {
        long pause = 100;
        while (true) {
            KafkaProducer<String, byte[]> created = clients.transactionalProducer(groupId);
            try {
                created.initTransactions();
                return created;
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                // Refused credentials or rights do not mend by waiting: the pod turns unhealthy and says why, rather than
                // stay ready with no member in its group.
                if (!running.get() || NotifierClients.refusedAccess(e)) {
                    throw e;
                }
                LOG.warnf("Cannot start the Kafka producer of %s (%s); trying again in %d ms", groupId, e.getMessage(), pause);
                sleep(Duration.ofMillis(pause));
                pause = Math.min(pause * 2, 5_000);
            }
        }
    }

    private void close() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("closing %s: %s", groupId, e.getMessage());
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** A type as a sender named it, for a log line: at most 100 characters, no line breaks or other controls. */
    private static String shown(String type) {
        String cut = type.length() > 100 ? type.substring(0, 100) + "…" : type;
        return cut.codePoints().map(c -> Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : dev.herald.events.InstantText.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
