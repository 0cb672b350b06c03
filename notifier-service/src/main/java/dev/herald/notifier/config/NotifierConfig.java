package dev.herald.notifier.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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
         * The event types this instance consumes, e.g. {@code spot-recreated,unknown}; {@code all} for every per-type
         * topic, {@code none} for an instance that only works off the retry topic. Each type is consumed by its own consumer group, {@code <group-prefix>-<type>}, so lag can be watched
         * and scaled per topic.
         */
        @WithDefault("all")
        List<String> types();

        /** Prefix of the per-type consumer groups. */
        @WithDefault("herald-notifier")
        String groupPrefix();

        /** Whether this instance also works off the retry topic (one group for all instances). */
        @WithDefault("true")
        boolean consumeRetries();

        /** Attempts per delivery, the first included, before it is dead-lettered. */
        @WithDefault("8")
        int maxAttempts();

        /** Delay before the second attempt; each further one doubles it, with jitter. */
        @WithDefault("2s")
        Duration initialBackoff();

        /** Upper bound of the delay between two attempts. */
        @WithDefault("10m")
        Duration maxBackoff();

        /** How long a sent delivery is remembered, so a redelivered event sends nothing twice. */
        @WithDefault("7d")
        Duration sentRetention();

        /** Create the notifier's own topics (retry, dead letter, outcomes, sent) when missing. */
        @WithDefault("true")
        boolean createTopics();
    }
}
