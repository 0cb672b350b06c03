package dev.herald.notifier.delivery;

import dev.herald.notifier.kafka.NotifierClients;
import dev.herald.notifier.kafka.RecordRefusal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Writes what attempts led to (done marks, retries, dead letters, outcomes) on its own thread, in Kafka transactions
 * that each take every settlement waiting at the time: a retry and the mark of the record it replaces are stored
 * together or not at all, so a record read again after a crash is neither sent twice nor lost.
 *
 * <p>Each settlement is written only while its partition is still this pod's ({@link Gate}), checked again just before
 * every transaction: a pod that froze with settlements queued here, and lost their partitions meanwhile, drops them
 * on waking instead of writing retries for deliveries another pod now sends.
 *
 * <p>When Kafka is unreachable the writer keeps trying (the deliveries stay in memory and the stage stops reading
 * more). A settlement Kafka refuses for good (a record too large) is written without its retry or dead letter,
 * marked done and logged, so it never blocks the others.
 */
final class DeliveryWriter implements Runnable {

    private static final Logger LOG = Logger.getLogger(DeliveryWriter.class);
    private static final int MAX_BATCH = 500;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    /** Whether a settlement of this assignment may be written now, must be dropped, or must wait. */
    @FunctionalInterface
    interface Gate {
        Verdict verdict(Assignment assignment);
    }

    enum Verdict {
        /** The partition is this pod's, confirmed by the group coordinator within the ownership lease. */
        WRITE,
        /** The partition went to another pod (or the pod stops unconfirmed): the settlement is not written. */
        DROP,
        /** The lease ran out: not known yet whether the partition is still this pod's. */
        WAIT
    }

    private static final long GATE_PAUSE_NANOS = Duration.ofMillis(20).toNanos();

    private record Unit(Settlement settlement, BiConsumer<Settlement, long[]> written, Runnable dropped) {

        Assignment assignment() {
            return settlement.items().get(0).assignment();
        }
    }

    private final NotifierClients clients;
    private final DeliveryRecords records;
    private final Gate gate;
    private final BlockingQueue<Unit> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** Set when the pod stops before the writer finished: its producer is closed under it. */
    private volatile boolean closing;
    private volatile KafkaProducer<String, byte[]> producer;
    private volatile boolean ready;
    private volatile Thread thread;

    DeliveryWriter(NotifierClients clients, DeliveryRecords records, Gate gate) {
        this.clients = clients;
        this.records = records;
        this.gate = gate;
    }

    void start() {
        thread = new Thread(this, "herald-delivery-writer");
        thread.start();
    }

    boolean isHealthy() {
        Thread current = thread;
        return current != null && current.isAlive();
    }

    /** Its producer is ready: what attempts lead to can be stored. */
    boolean isReady() {
        return ready && isHealthy();
    }

    /**
     * {@code written} receives the offsets of the done marks, in the order of the settlement's items; {@code dropped}
     * runs instead when the partition was lost before the settlement could be written (its deliveries stay not done,
     * for the partition's new owner, or for the next start when the pod stops unable to write it). One of the two
     * runs, once.
     */
    void write(Settlement settlement, BiConsumer<Settlement, long[]> written, Runnable dropped) {
        queue.add(new Unit(settlement, written, dropped));
    }

    /** Stops after writing what is queued (within {@code timeout}). */
    void stop(Duration timeout) {
        running.set(false);
        Thread current = thread;
        if (current != null) {
            try {
                current.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closing = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** A transaction whose commit was sent and never confirmed: it may be stored or not. */
    private static final class UnknownOutcome extends RuntimeException {
        UnknownOutcome(Throwable cause) {
            super(cause);
        }
    }

    @Override
    public void run() {
        try {
            producer = newProducerWhenKafkaAnswers();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "The delivery writer cannot start; the pod turns unready");
            return;
        }
        ready = true;
        List<Unit> batch = new ArrayList<>();
        while (running.get() || !queue.isEmpty()) {
            try {
                Unit first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                writeUntilStored(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "The delivery writer stopped; the pod turns unready");
                return;
            }
        }
    }

    private void writeUntilStored(List<Unit> units) throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        List<Unit> batch = units;
        while (true) {
            batch = stillOurs(batch);
            if (batch.isEmpty()) {
                return;
            }
            try {
                transaction(batch, false);
                return;
            } catch (UnknownOutcome e) {
                unknownOutcome(batch, e);
                return;
            } catch (KafkaException | IllegalStateException e) {
                if (closing) {
                    // The producer was closed under this transaction, perhaps in the middle of its commit: writing the
                    // batch again on a new producer could store it twice.
                    unknownOutcome(batch, e);
                    return;
                }
                abortOrRenew();
                if (RecordRefusal.causedByTheRecords(e)) {
                    for (Unit unit : batch) {
                        writeAlone(unit);
                    }
                    return;
                }
                if (!running.get() && pause.compareTo(LONGEST_PAUSE) >= 0) {
                    LOG.errorf("Stopping with %d settlements unwritten: Kafka is unreachable (%s); their deliveries are"
                            + " read again by the next owner", batch.size(), e.getMessage());
                    dropAll(batch);
                    return;
                }
                LOG.warnf("Kafka did not store %d settlements (%s); trying again in %d ms", batch.size(), e.getMessage(),
                        pause.toMillis());
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private void writeAlone(Unit unit) throws InterruptedException {
        if (stillOurs(List.of(unit)).isEmpty()) {
            return;
        }
        try {
            transaction(List.of(unit), false);
        } catch (UnknownOutcome e) {
            unknownOutcome(List.of(unit), e);
        } catch (KafkaException | IllegalStateException e) {
            if (closing) {
                unknownOutcome(List.of(unit), e);
                return;
            }
            abortOrRenew();
            if (!RecordRefusal.causedByTheRecords(e)) {
                writeUntilStored(List.of(unit));
                return;
            }
            LOG.errorf("Kafka refused the records of %s for good (%s); dead-lettering them without their body",
                    unit.settlement().items(), RecordRefusal.reason(e));
            if (stillOurs(List.of(unit)).isEmpty()) {
                return;
            }
            try {
                transaction(List.of(withoutBodies(unit, RecordRefusal.reason(e))), false);
            } catch (UnknownOutcome again) {
                unknownOutcome(List.of(unit), again);
            } catch (KafkaException | IllegalStateException again) {
                if (closing) {
                    unknownOutcome(List.of(unit), again);
                    return;
                }
                abortOrRenew();
                // Nothing of this attempt can be stored: counted done all the same (a partition cannot wait for what
                // Kafka will never take), so its retry or dead letter is lost; this error is all that says so.
                LOG.errorf("Kafka refused even the done marks of %s (%s): these deliveries are let go without a retry or"
                        + " dead letter", unit.settlement().items(), RecordRefusal.reason(again));
                unit.written().accept(unit.settlement(), null);
            }
        }
    }

    /**
     * The units whose partitions are still this pod's; the others are dropped (their callbacks told). While any must
     * wait, all are asked again after the wait: a partition confirmed before it may have been lost during it.
     */
    private List<Unit> stillOurs(List<Unit> units) throws InterruptedException {
        List<Unit> left = units;
        boolean logged = false;
        while (true) {
            List<Unit> ours = new ArrayList<>(left.size());
            boolean wait = false;
            for (Unit unit : left) {
                switch (gate.verdict(unit.assignment())) {
                    case WRITE -> ours.add(unit);
                    case DROP -> unit.dropped().run();
                    case WAIT -> {
                        ours.add(unit);
                        wait = true;
                    }
                }
            }
            if (!wait) {
                return ours;
            }
            if (!logged) {
                LOG.warnf("%d settlements wait to be written until the group coordinator confirms this pod's partitions"
                        + " again", ours.size());
                logged = true;
            }
            left = ours;
            java.util.concurrent.locks.LockSupport.parkNanos(GATE_PAUSE_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * Stopping with a transaction whose outcome is unknown: its deliveries stay not done here, for the next owner,
     * whose reading of the done marks tells whether the transaction was stored.
     */
    private void unknownOutcome(List<Unit> units, RuntimeException e) {
        LOG.errorf("Stopping with %d settlements whose transaction may or may not be stored (%s); the partitions' next"
                + " owner reads their done marks and sends only what they do not show", units.size(), e.getMessage());
        dropAll(units);
    }

    private void dropAll(List<Unit> units) {
        units.forEach(unit -> unit.dropped().run());
    }

    /** The unit's done marks, and a dead letter without the body for each delivery, saying why. */
    private Unit withoutBodies(Unit unit, String cause) {
        List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        for (Pending item : unit.settlement().items()) {
            if (item.delivery() != null) {
                deadLetters.add(records.deadLetter(item.delivery().headers().withError("Kafka refused what this attempt led to: "
                        + cause), new byte[0]));
            }
        }
        Settlement settlement = unit.settlement();
        return new Unit(new Settlement(settlement.items(), settlement.marks(), deadLetters, settlement.holdDestination()),
                unit.written(), unit.dropped());
    }

    private void transaction(List<Unit> batch, boolean marksOnly) {
        producer.beginTransaction();
        List<List<Future<RecordMetadata>>> marks = new ArrayList<>(batch.size());
        for (Unit unit : batch) {
            List<Future<RecordMetadata>> unitMarks = new ArrayList<>();
            for (ProducerRecord<String, byte[]> mark : unit.settlement().marks()) {
                unitMarks.add(producer.send(mark));
            }
            if (!marksOnly) {
                for (ProducerRecord<String, byte[]> record : unit.settlement().others()) {
                    producer.send(record);
                }
            }
            marks.add(unitMarks);
        }
        commit();
        for (int i = 0; i < batch.size(); i++) {
            List<Future<RecordMetadata>> unitMarks = marks.get(i);
            long[] offsets = new long[unitMarks.size()];
            for (int j = 0; j < offsets.length; j++) {
                try {
                    offsets[j] = unitMarks.get(j).get().offset();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaException(e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new KafkaException(e.getCause());
                }
            }
            batch.get(i).written().accept(batch.get(i).settlement(), offsets);
        }
    }

    /**
     * Commits the open transaction. A commit that timed out is retried on the same producer (Kafka allows it), so a
     * transaction whose outcome is unknown is never written again on another one.
     */
    private void commit() {
        Duration pause = FIRST_PAUSE;
        while (true) {
            try {
                producer.commitTransaction();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (!running.get() && pause.compareTo(LONGEST_PAUSE) >= 0) {
                    throw new UnknownOutcome(e);
                }
                LOG.warnf("Kafka did not confirm a transaction in time (%s); confirming it again", e.getMessage());
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private void abortOrRenew() throws InterruptedException {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            // A producer that cannot abort (fenced, timed out, in a fatal state) is replaced, unless the pod stops.
            producer.close(Duration.ZERO);
            if (closing) {
                throw e;
            }
            producer = newProducerWhenKafkaAnswers();
        }
    }

    /** A new transactional producer, trying again until Kafka answers (the pod stays up and says why in its log). */
    private KafkaProducer<String, byte[]> newProducerWhenKafkaAnswers() throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        while (true) {
            KafkaProducer<String, byte[]> created = clients.transactionalProducer("herald-notifier-deliveries");
            try {
                created.initTransactions();
                return created;
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                if (NotifierClients.refusedAccess(e)) {
                    throw e; // the writer stops, the pod turns unhealthy and says why: no waiting mends refused rights
                }
                LOG.warnf("Cannot start the delivery writer's Kafka producer (%s); trying again in %d ms", e.getMessage(),
                        pause.toMillis());
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }
}
