package dev.herald.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Herald's notifier settings; every key can be set as an environment variable, e.g. {@code HERALD_ROUTES}. */
@ConfigMapping(prefix = "herald")
public interface NotifierConfig {

    /** Prefix of every Herald topic. */
    @WithDefault("uniskai")
    String topicPrefix();

    /** Path of the routes file (YAML): which events go to which mailboxes and Slack webhooks. */
    Path routes();

    Notifier notifier();

    Lag lag();

    /**
     * Consumer lag in records and seconds ({@code herald_consumer_lag_*}) of this instance's consumer groups, and the
     * members of the router's group ({@code herald_consumer_group_members}).
     */
    interface Lag {

        /** How often the lag and the members are measured. */
        @WithDefault("15s")
        Duration interval();

        /** The router's consumer group (its Kafka Streams application id). */
        @WithDefault("herald-router")
        String routerGroup();
    }

    interface Notifier {

        /**
         * The event types whose per-type topic this instance fans out into deliveries, e.g.
         * {@code spot-recreated,unknown}; {@code all} for every per-type topic, {@code none} for an instance that only
         * delivers. Each type has its own consumer group, {@code <group-prefix>-<type>}, so lag can be watched and
         * scaled per topic.
         */
        @WithDefault("all")
        List<String> types();

        /**
         * Whether this instance delivers: consumes the deliveries topic with the group
         * {@code <group-prefix>-deliveries}, paces each destination it owns and sends.
         */
        @WithDefault("true")
        boolean deliver();

        /** Prefix of the notifier's consumer groups. */
        @WithDefault("herald-notifier")
        String groupPrefix();

        /** Attempts per delivery, the first included, before it is dead-lettered. */
        @WithDefault("8")
        int maxAttempts();

        /** Delay before the second attempt; each further one doubles it, with jitter. */
        @WithDefault("2s")
        Duration initialBackoff();

        /** Upper bound of the delay between two attempts, and of any {@code Retry-After} a peer asks for. */
        @WithDefault("10m")
        Duration maxBackoff();

        /** Threads making attempts: as many destinations can have a send in flight at once. */
        @WithDefault("16")
        @Positive
        int senders();

        /** A deliveries partition with this many deliveries in memory is paused until half are done. */
        @WithDefault("5000")
        @Positive
        int maxPendingRecords();

        /**
         * Deliveries one destination keeps in memory; its next ones are left in Kafka and read again when half of
         * this is free, so a destination with a long backlog (a Slack webhook at 1/s) holds back only itself.
         */
        @WithDefault("500")
        @Positive
        int maxLaneDeliveries();

        /**
         * Records of a deliveries partition read and not yet committed (done, waiting, or left in Kafka) past which
         * it is paused: its committed offset waits for the oldest delivery not done, and the next owner reads the
         * done marks of all of them.
         */
        @WithDefault("50000")
        @Positive
        int maxUncommittedRecords();

        /** A deliveries partition with this many bytes of deliveries in memory is paused until half are done. */
        @WithDefault("16777216")
        @Positive
        long maxPendingBytes();

        /** Retention of the deliveries and done-mark topics the notifier creates. */
        @WithDefault("7d")
        Duration deliveryRetention();

        /** Create the notifier's own topics (deliveries, done marks, dead letters, outcomes) when missing. */
        @WithDefault("true")
        boolean createTopics();
    }
}
