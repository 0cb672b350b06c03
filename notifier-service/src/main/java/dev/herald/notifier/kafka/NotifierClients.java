package dev.herald.notifier.kafka;

import dev.herald.events.RecordSizeLimits;
import dev.herald.kafka.client.KafkaClientSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one place for the settings of the notifier's Kafka clients. Every client starts from the service's
 * {@code kafka.*} keys ({@link KafkaClientSettings}: address, TLS, SASL, tuning) and adds what its job needs.
 */
@ApplicationScoped
public class NotifierClients {

    /** A dead notifier hands its partitions over after this long (Kafka's default is 45 s). */
    private static final int SESSION_TIMEOUT_MS = 15_000;
    private static final int HEARTBEAT_INTERVAL_MS = 3_000;
    /**
     * A notifier that dies inside a transaction holds read_committed readers of that partition until the broker
     * aborts it: keep that short. Transactions here last milliseconds.
     */
    private static final int TRANSACTION_TIMEOUT_MS = 10_000;

    private final KafkaClientSettings settings;

    @Inject
    NotifierClients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.settings = new KafkaClientSettings(kafkaConfig);
    }

    public NotifierClients(KafkaClientSettings settings) {
        this.settings = settings;
    }

    /** A group member that commits by itself (or through a transaction) and reads only committed records. */
    public KafkaConsumer<String, byte[]> groupConsumer(String groupId, int maxPollRecords) {
        return new KafkaConsumer<>(groupConfig(groupId, maxPollRecords), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private Map<String, Object> groupConfig(String groupId, int maxPollRecords) {
        Map<String, Object> config = settings.all();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Not configurable: a group new to a topic must read it all, and a delivery stage whose position was deleted by
        // the topic's retention must go on from what is still stored (it dead-letters what it left there).
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        config.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        config.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
        // fetch.max.wait.ms stays Kafka's 500 ms here: a fetch waiting on the broker is answered as soon as a
        // transaction commits records for it (measured on Kafka 4.1: 4 to 6 ms from the commit to the poll, at 20 ms
        // or 500 ms), and an idle consumer polling every 20 ms sends the broker 50 fetches a second for nothing (a
        // per-type Deployment scaled out by KEDA has one per pod).
        // When KEDA adds or removes a pod, only the partitions that move are revoked: the others keep their lanes,
        // holds and folds (the eager default would revoke every partition of every pod).
        // Not configurable: the delivery stage's ownership lease is renewed when a revocation starts, which is sound
        // only when the group has confirmed the member before revoking (cooperative), not before rejoining (eager).
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return config;
    }

    /**
     * The delivery stage's group member: as {@link #groupConsumer}, but a fetch waits at most 20 ms. The stage seeks
     * back to read deliveries left in Kafka again, and a seek waits for the fetch already parked at the end of the log
     * (up to its whole wait) before reading from the new position: at 500 ms, each such pass stalled the partition
     * (SlowDestinationIT's fast destination took 37 s instead of 5 to 9).
     */
    public KafkaConsumer<String, byte[]> deliveriesConsumer(String groupId, int maxPollRecords) {
        return new KafkaConsumer<>(withShortFetchWait(groupConfig(groupId, maxPollRecords)), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    private static Map<String, Object> withShortFetchWait(Map<String, Object> config) {
        config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        return config;
    }

    /** A consumer with no group, for reading chosen partitions (the done marks) from chosen offsets. */
    public KafkaConsumer<String, byte[]> partitionReader(String clientId) {
        Map<String, Object> config = settings.all();
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * A transactional producer. The id is new for each producer, not fixed, so any number of pods can run: the
     * fan-out is fenced by its consumer group's generation (the offsets sent with each transaction); the delivery
     * writer's transactions carry no offsets, and its sends are guarded by the ownership lease instead.
     */
    public KafkaProducer<String, byte[]> transactionalProducer(String name) {
        Map<String, Object> config = settings.all();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name + "-" + UUID.randomUUID());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, name);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Kafka 4.1: with several requests in flight, a batch refused while a new topic's leadership settles can be
        // overtaken by the next and the transaction stalls until it times out; one in flight avoids it.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, TRANSACTION_TIMEOUT_MS);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordSizeLimits.EVENT_RECORD_BYTES);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * How long after the group coordinator last confirmed this pod as a member of a delivery group the pod may still
     * start a send: the session timeout less one heartbeat interval (the settings {@link #groupConsumer} uses).
     */
    public java.time.Duration ownershipLease() {
        Map<String, Object> config = settings.all();
        long session = millis(config.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
        long heartbeat = millis(config.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), HEARTBEAT_INTERVAL_MS);
        return java.time.Duration.ofMillis(Math.max(session - heartbeat, session / 2));
    }

    private static long millis(Object configured, long otherwise) {
        return configured == null ? otherwise : Long.parseLong(String.valueOf(configured).trim());
    }

    /**
     * Kafka refused this pod's credentials or rights (authentication, or an ACL on a topic, group or transactional
     * id): waiting does not mend it.
     */
    public static boolean refusedAccess(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.apache.kafka.common.errors.AuthenticationException
                    || cause instanceof org.apache.kafka.common.errors.AuthorizationException) {
                return true;
            }
        }
        return false;
    }

    public Admin admin() {
        return Admin.create(settings.connection());
    }
}
