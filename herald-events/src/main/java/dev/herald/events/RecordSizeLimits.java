package dev.herald.events;

import java.util.Map;

/**
 * How large a record on each Herald topic may be: the one place for the topics' {@code max.message.bytes} and the
 * producers' {@code max.request.size}, so that every body the ingest accepts fits every topic it travels through.
 *
 * <p>A body of {@link #MAX_BODY_BYTES} travels byte for byte on the raw topic, the per-type topics, the router's
 * dead-letter and rekeyed topics, next to its key (at most a few hundred bytes), its headers (CloudEvents, trace,
 * hash; the dead letter adds {@code herald_error}) and the batch's framing: {@link #EVENT_RECORD_BYTES} leaves a
 * whole MiB for them, where Kafka's default (1 MiB + 12 bytes) left nothing. The notifier's delivery and dead-letter
 * records carry the body as received too, their facts in headers of a few hundred bytes, so every topic has the same
 * limit.
 */
public record RecordSizeLimits(Topics topics) {

    /** Kafka's topic setting: the largest record batch the broker appends to the topic. */
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    /** The largest webhook body the ingest may accept: the documented limit. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Records that carry a body as received: raw, per-type, unknown, router dead letter, rekeyed. */
    public static final int EVENT_RECORD_BYTES = 2 * 1024 * 1024;

    public RecordSizeLimits {
        if (topics == null) {
            throw new IllegalArgumentException("topics must not be null");
        }
    }

    /** The largest record {@code topic} must take: every topic carries bodies as received. */
    public int maxMessageBytes(String topic) {
        return EVENT_RECORD_BYTES;
    }

    /** The topic-level configuration to create {@code topic} with. */
    public Map<String, String> topicConfig(String topic) {
        return Map.of(MAX_MESSAGE_BYTES, String.valueOf(maxMessageBytes(topic)));
    }
}
