package dev.herald.console.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.console.config.ConsoleConfig;
import dev.herald.console.journey.DeliveryJourney;
import dev.herald.console.journey.JourneyIndex;
import dev.herald.console.journey.Step;
import dev.herald.console.journey.StoredDelivery;
import dev.herald.events.DeliveryHeaders;
import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.kafka.client.KafkaClientSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Writes a dead-lettered delivery back to the notifier's deliveries topic as a first attempt, due now, and records the
 * replay on the outcomes topic, where the event's page shows it. It is keyed by its destination key, as the notifier
 * keys its own, so it lands on the partition whose owner paces that destination; the destination stays a key (the
 * notifier looks the address up again in its routes file by that key: a replay goes to the same address, once the
 * destination answers again; a delivery whose address was changed in the routes file is dead-lettered again).
 *
 * <p>Replays are made one at a time, and each is put on its event's journey as soon as Kafka has it (the follower
 * reads the same outcome record later, as the same step): a second replay of the same delivery, from a double click
 * or another operator, finds it replayed and writes nothing. The notifier keeps no ledger by delivery id, so this is
 * what stops a replay from sending twice.
 */
@Singleton
public class Replayer {

    private static final Logger LOG = Logger.getLogger(Replayer.class);

    /** One id for every console: a console that starts fences the producer of one that is going away. */
    private static final String TRANSACTIONAL_ID = "herald-console-replay";

    private final Map<String, Object> producerConfig;
    private KafkaProducer<String, byte[]> producer;
    private final ObjectMapper mapper;
    private final Topics topics;
    private final JourneyIndex index;
    /**
     * Delivery id → where its last replay's outcome is stored, until its journey shows that step: a replay Kafka has
     * but the index could not take (a write it refused) must not look dead, or a second replay would send it twice.
     */
    private final Map<String, String> replayedHere = new java.util.concurrent.ConcurrentHashMap<>();

    Replayer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ConsoleConfig config, ObjectMapper mapper,
            JourneyIndex index) {
        this.topics = new Topics(config.topicPrefix());
        this.index = index;
        this.producerConfig = new KafkaClientSettings(kafkaConfig).all();
        producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "herald-console-replay");
        // A delivery carries its event's body as received: as large a record as its topic takes.
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, new RecordSizeLimits(topics).maxMessageBytes(topics.deliveries()));
        this.mapper = mapper;
    }

    /**
     * Replays every chosen delivery that is dead on its journey now, one replay at a time in the whole console; the
     * others (sent since, or replayed already) are skipped. Returns the ids of both.
     */
    public synchronized Result replay(Predicate<DeliveryJourney> chosen) {
        List<String> replayed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        // One journey at a time, read afresh, with no index lock held across a replay's Kafka transaction.
        index.forEachWithDeadLetter(journey -> {
            for (DeliveryJourney delivery : journey.deliveries()) {
                if (!chosen.test(delivery)) {
                    continue;
                }
                if (delivery.state() != DeliveryJourney.State.DEAD || replayNotShownYet(delivery)) {
                    skipped.add(delivery.deliveryId());
                } else {
                    replay(journey.eventId(), delivery);
                    replayed.add(delivery.deliveryId());
                }
            }
        });
        return new Result(replayed, skipped);
    }

    private boolean replayNotShownYet(DeliveryJourney delivery) {
        String source = replayedHere.get(delivery.deliveryId());
        if (source == null) {
            return false;
        }
        if (delivery.steps().stream().anyMatch(step -> source.equals(step.source()))) {
            replayedHere.remove(delivery.deliveryId(), source);
            return false;
        }
        return true;
    }

    /** What a replay did: the deliveries written back, and those skipped (not dead any more). */
    public record Result(List<String> replayed, List<String> skipped) {
    }

    /**
     * Replays one dead delivery: the delivery and its {@code replayed} outcome in one Kafka transaction, so that a
     * replay that fails leaves neither (a delivery written back without its outcome would still look dead, and a
     * second replay would send it twice); returns once both are stored and the journey shows the replay.
     */
    private void replay(String eventId, DeliveryJourney delivery) {
        StoredDelivery dead = delivery.deadLetter().orElseThrow(() -> new IllegalArgumentException(
                "delivery " + delivery.deliveryId() + " has no dead letter to replay"));
        // After every step the journey has, whatever the clocks of the pods that wrote them say.
        Instant now = delivery.steps().stream().map(Step::at).filter(java.util.Objects::nonNull)
                .map(at -> at.plusMillis(1)).reduce(Instant.now(), (a, b) -> a.isAfter(b) ? a : b);
        DeliveryHeaders replayed = dead.headers().replayed();
        RecordHeaders headers = new RecordHeaders();
        replayed.toMap().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));

        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("eventId", eventId);
        outcome.put("deliveryId", delivery.deliveryId());
        outcome.put("type", replayed.type());
        outcome.put("route", replayed.route());
        outcome.put("channel", replayed.channel());
        outcome.put("destination", replayed.destination());
        outcome.put("attempt", 0);
        outcome.put("outcome", DeliveryJourney.REPLAYED);
        outcome.put("error", null);
        outcome.put("at", now.toString());
        RecordMetadata stored = inOneTransaction(
                new ProducerRecord<>(topics.deliveries(), null, replayed.destinationKey(), dead.body(), headers),
                new ProducerRecord<>(topics.outcomes(), eventId, json(outcome)));
        // The step the follower will read from this very record (same source), on the journey now.
        String source = stored.topic() + "/" + stored.partition() + "@" + stored.offset();
        replayedHere.put(delivery.deliveryId(), source);
        index.add(new Step(Step.Kind.ATTEMPT, source, eventId,
                now, replayed.type(), null, stored.topic(), stored.partition(), null, null, delivery.deliveryId(),
                replayed.route(), replayed.channel(), replayed.destination(), 0, DeliveryJourney.REPLAYED, null, null,
                null));
        // On its journey now: the guard above is needed only when that write fails.
        replayedHere.remove(delivery.deliveryId(), source);
        LOG.infof("Replayed delivery %s of event %s to %s", delivery.deliveryId(), eventId, replayed.destination());
    }

    /** Writes both records or neither; returns where the second is stored. */
    private RecordMetadata inOneTransaction(ProducerRecord<String, byte[]> first, ProducerRecord<String, byte[]> second) {
        KafkaProducer<String, byte[]> current = producer();
        try {
            current.beginTransaction();
            current.send(first);
            Future<RecordMetadata> stored = current.send(second);
            current.commitTransaction();
            return stored.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            discard(current);
            throw new IllegalStateException("interrupted while replaying", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Aborted, or of unknown outcome: a new producer with the same id fences this one and ends its transaction.
            discard(current);
            throw new IllegalStateException("Kafka did not take the replay (nothing of it is kept): " + e.getMessage(), e);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            KafkaProducer<String, byte[]> created = new KafkaProducer<>(producerConfig, new StringSerializer(),
                    new ByteArraySerializer());
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw new IllegalStateException("Kafka does not answer the replay producer: " + e.getMessage(), e);
            }
            producer = created;
        }
        return producer;
    }

    private void discard(KafkaProducer<String, byte[]> current) {
        producer = null;
        current.close(Duration.ZERO);
    }

    private byte[] json(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }
}
