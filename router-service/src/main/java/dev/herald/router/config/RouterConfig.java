package dev.herald.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Herald's router settings; every key can be set as an environment variable, e.g. {@code HERALD_TOPIC_PREFIX}. */
@ConfigMapping(prefix = "herald")
public interface RouterConfig {

    /** Prefix of every Herald topic. */
    @WithDefault("uniskai")
    String topicPrefix();

    Router router();

    Lag lag();

    /**
     * The router's consumer lag in records and seconds ({@code herald_consumer_lag_*}), and the members of every
     * notifier consumer group ({@code herald_consumer_group_members}).
     */
    interface Lag {

        /** How often the lag and the members are measured. */
        @WithDefault("15s")
        Duration interval();

        /** The notifier's {@code herald.notifier.group-prefix}: its groups are {@code <prefix>-<type>} and {@code <prefix>-deliveries}. */
        @WithDefault("herald-notifier")
        String notifierGroupPrefix();
    }

    interface Router {

        /** How long an event id is remembered: the same id within it is forwarded once. */
        @WithDefault("24h")
        Duration idDedupWindow();

        /** How long a body hash is remembered for events without a sender id: a byte-identical retry within it is forwarded once. */
        @WithDefault("10m")
        Duration bodyDedupWindow();

        Topics topics();
    }

    /** The topics the router creates at start-up when they are missing. */
    interface Topics {

        /** Create the raw, per-type and dead-letter topics when missing; off where an operator (Strimzi) owns them. */
        @WithDefault("true")
        boolean create();

        /** Partitions of a created topic. */
        @WithDefault("3")
        int partitions();

        /** Replication factor of a created topic; -1 takes the broker's default. */
        @WithDefault("-1")
        short replicationFactor();
    }
}
