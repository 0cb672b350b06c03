package dev.herald.events;

/**
 * Kafka header names on raw and per-type records: the CloudEvents Kafka binding in binary mode, W3C trace context,
 * and Herald's two deduplication facts.
 */
public final class EventHeaders {

    public static final String CE_SPECVERSION = "ce_specversion";
    public static final String CE_ID = "ce_id";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_TYPE = "ce_type";
    public static final String CE_TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";
    public static final String TRACEPARENT = "traceparent";

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    public static final String SOURCE = "/herald/ingest/uniskai";

    /** Hex SHA-256 of the body: the router's deduplication key for events whose id the sender did not choose. */
    public static final String BODY_SHA256 = "herald_body_sha256";
    /** Where {@code ce_id} came from: {@link #ID_FROM_SENDER} or {@link #ID_GENERATED}. */
    public static final String ID_SOURCE = "herald_id_source";
    public static final String ID_FROM_SENDER = "sender";
    public static final String ID_GENERATED = "generated";

    private EventHeaders() {
    }
}
