package dev.herald.ingest.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Herald's ingest settings; every key can be set as an environment variable, e.g. {@code HERALD_INGEST_TOKENS}. */
@ConfigMapping(prefix = "herald")
public interface IngestConfig {

    /** Prefix of every Herald topic. */
    @WithDefault("uniskai")
    String topicPrefix();

    Ingest ingest();

    interface Ingest {

        /** Bearer tokens accepted, comma-separated; several at once so a token can be rotated without downtime. */
        Optional<List<String>> tokens();

        /** Standard Webhooks secret ({@code whsec_...}); when set, signed requests are verified and accepted. */
        Optional<String> signingSecret();

        /** How far a {@code webhook-timestamp} may lie in the past or the future. */
        @WithDefault("5m")
        Duration signatureTolerance();

        /** Largest body accepted; larger ones are refused with 413 before they are read. */
        @WithDefault("1M")
        MemorySize maxBodySize();

        /** How long a request waits for Kafka's acknowledgement before it is answered 503. */
        @WithDefault("5s")
        Duration publishTimeout();

        /**
         * How many webhooks may wait for the producer's send thread; beyond that a request is answered 503 at once.
         * Sends wait there only while the producer blocks (the broker away), so this bounds memory and wait then.
         */
        @WithDefault("1024")
        int publishQueueSize();

        /** {@code Retry-After} sent with a 503, in seconds. */
        @WithDefault("5")
        int retryAfterSeconds();
    }
}
