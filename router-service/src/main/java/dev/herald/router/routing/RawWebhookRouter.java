package dev.herald.router.routing;

import dev.herald.events.EventHeaders;
import dev.herald.events.EventLogContext;
import dev.herald.events.ParseOutcome;
import dev.herald.events.RawRecordKey;
import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import dev.herald.events.WebhookParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.jboss.logging.Logger;

/**
 * Routes one raw record: to its per-type topic, to the dead-letter topic when it cannot be routed, or nowhere when
 * it repeats an event already routed. Value and headers are forwarded unchanged, under the record's
 * {@link RawRecordKey}: the key the ingest gives it.
 *
 * <p>A record is deduplicated only under that key, so that every copy of an event is on the same partition, in the
 * same task, before the same {@link SeenEvents}. A record that arrives under another key (from a writer other than the
 * ingest, or an ingest older than that key) is first written under its own to the rekeyed topic, which has the raw
 * topic's partitions, and deduplicated when it comes back from there into the task of its key.
 */
final class RawWebhookRouter implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = Logger.getLogger(RawWebhookRouter.class);

    static final String ERROR = "herald_error";
    static final String ERROR_DETAIL = "herald_error_detail";
    static final String SOURCE_TOPIC = "herald_source_topic";
    static final String SOURCE_PARTITION = "herald_source_partition";
    static final String SOURCE_OFFSET = "herald_source_offset";

    private static final W3CTraceContextPropagator TRACE_CONTEXT = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return java.util.Arrays.stream(headers.toArray()).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            return headers == null ? null : text(headers, key);
        }
    };

    private final Topics topics;
    private final WebhookParser parser = new WebhookParser();
    private final Duration idWindow;
    private final Duration bodyWindow;
    private final RoutingMetrics metrics;
    private final Tracer tracer;
    private ProcessorContext<String, byte[]> context;
    private SeenEvents seen;

    RawWebhookRouter(Topics topics, Duration idWindow, Duration bodyWindow, RoutingMetrics metrics, Tracer tracer) {
        this.topics = topics;
        this.tracer = tracer;
        this.idWindow = idWindow;
        this.bodyWindow = bodyWindow;
        this.metrics = metrics;
    }

    /** As the ingest allows for a webhook-id or Idempotency-Key. */
    static final int MAX_EVENT_ID_LENGTH = 200;
    /**
     * More than the ingest ever writes (its largest body, and a key and headers of a few hundred bytes each), with the
     * topics' limit ({@link RecordSizeLimits#EVENT_RECORD_BYTES}) far above: room for what routing adds.
     */
    static final int MAX_RECORD_BYTES = RecordSizeLimits.MAX_BODY_BYTES + 64 * 1024;
    /** The longest key {@link RawRecordKey} gives a record that passed the id check: an account id or a sender's id. */
    private static final int LONGEST_OWN_KEY = Math.max(RawRecordKey.MAX_ACCOUNT_KEY_LENGTH, MAX_EVENT_ID_LENGTH);

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        WindowStore<String, String> ids = context.getStateStore(RoutingTopology.SEEN_IDS_STORE);
        WindowStore<String, Long> bodies = context.getStateStore(RoutingTopology.SEEN_BODIES_STORE);
        this.seen = new SeenEvents(ids, idWindow, bodies, bodyWindow);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        // As far as a log line needs them: headers written by anything but the ingest may be of any length.
        try (var context = EventLogContext.of(shortened(text(record.headers(), EventHeaders.CE_ID)),
                shortened(text(record.headers(), EventHeaders.CE_TYPE)),
                shortened(text(record.headers(), EventHeaders.TRACEPARENT)))) {
            route(record);
        }
    }

    private static String shortened(String text) {
        return text == null || text.length() <= MAX_EVENT_ID_LENGTH ? text : text.substring(0, MAX_EVENT_ID_LENGTH) + "…";
    }

    private void route(Record<String, byte[]> record) {
        long bytes = RecordBytes.of(record.key(), record.value(), record.headers());
        // A record read back from the rekeyed topic passed this check on the raw topic with its old key; its new key
        // (an account id or an event id, counted 3 bytes a character) must not tip it over.
        boolean rekeyedAlready = context.recordMetadata().map(m -> m.topic().equals(topics.routerRekeyed())).orElse(false);
        if (bytes > MAX_RECORD_BYTES + (rekeyedAlready ? 3L * LONGEST_OWN_KEY : 0)) {
            deadLetterWithoutBody(record, bytes);
            return;
        }
        String eventId = text(record.headers(), EventHeaders.CE_ID);
        if (eventId == null || eventId.isBlank()) {
            deadLetter(record, DeadLetterReason.MISSING_EVENT_ID, "the record has no ce_id header");
            return;
        }
        // The ingest's rule for ids, held here too for records written by anything else: an id of a megabyte would become
        // the key of a changelog record the broker refuses, and stop the router on this record after every restart.
        if (eventId.length() > MAX_EVENT_ID_LENGTH || !eventId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            deadLetter(record, DeadLetterReason.MISSING_EVENT_ID, "the ce_id header is not 1 to " + MAX_EVENT_ID_LENGTH
                    + " visible ASCII characters");
            return;
        }
        byte[] body = record.value() == null ? new byte[0] : record.value();
        ParseOutcome outcome = parser.parse(body);
        if (outcome instanceof ParseOutcome.Malformed malformed) {
            deadLetter(record, DeadLetterReason.MALFORMED_BODY, malformed.detail());
            return;
        }
        // A documented type with fields of the wrong kind is still routed by its type: the notifier renders what it can.
        String type = outcome instanceof ParseOutcome.Parsed parsed
                ? parsed.event().type()
                : ((ParseOutcome.Mismatched) outcome).type();
        List<String> accountIds = outcome instanceof ParseOutcome.Parsed parsed ? parsed.event().accountIds() : List.of();
        // Missing means sender: without the ingest's word that it generated the id, the id is the event's identity.
        String senderId = EventHeaders.ID_GENERATED.equals(text(record.headers(), EventHeaders.ID_SOURCE)) ? null : eventId;
        String bodySha256 = bodyHash(record.headers(), body);
        String ownKey = RawRecordKey.of(accountIds, senderId, bodySha256);
        // A record read back from the rekeyed topic is never re-keyed again, whatever its key became on the way (a key
        // that does not survive UTF-8 would otherwise go round forever).
        if (!rekeyedAlready && !ownKey.equals(record.key())) {
            // Its copies may be on other partitions: they all meet on the rekeyed topic's partition of this key.
            context.forward(record.withKey(ownKey), RoutingTopology.sinkFor(topics.routerRekeyed()));
            return;
        }
        if (isCopy(seen.check(senderId, bodySha256, record.timestamp()))) {
            return;
        }
        String topic = topics.forType(type);
        Span span = tracer.spanBuilder("route " + type)
                .setParent(TRACE_CONTEXT.extract(Context.root(), record.headers(), HEADERS))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("herald.event.id", eventId)
                .setAttribute("messaging.destination.name", topic)
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            // The routed record carries the router's span, so the notifier's spans are its children.
            if (span.getSpanContext().isValid()) {
                TRACE_CONTEXT.inject(Context.current(), record.headers(), (headers, key, value) ->
                        headers.remove(key).add(key, utf8(value)));
            }
            context.forward(record, RoutingTopology.sinkFor(topic));
            metrics.routed(topic, sinceReceived(record.headers()));
        } finally {
            span.end();
        }
    }

    private boolean isCopy(SeenEvents.Verdict verdict) {
        if (verdict instanceof SeenEvents.Verdict.Copy copy) {
            metrics.duplicateDropped(copy.matchedBy());
            return true;
        }
        if (verdict instanceof SeenEvents.Verdict.IdReused reused) {
            metrics.idConflict();
            LOG.warnf("Dropped an event whose sender id was routed within %s with another body (SHA-256 %s, this one %s):"
                    + " the first one wins", idWindow, reused.firstBodySha256(), reused.bodySha256());
            return true;
        }
        return false;
    }

    private void deadLetter(Record<String, byte[]> record, DeadLetterReason reason, String detail) {
        Headers headers = record.headers();
        headers.remove(ERROR).add(ERROR, utf8(reason.code));
        headers.remove(ERROR_DETAIL).add(ERROR_DETAIL, utf8(detail));
        context.recordMetadata().ifPresent(source -> addSource(headers, source));
        context.forward(record, RoutingTopology.sinkFor(topics.routerDeadLetter()));
        metrics.deadLettered(reason);
        LOG.warnf("Dead-lettered a raw record (%s): %s", reason.code, detail);
    }

    /**
     * A record larger than any the ingest writes, from another producer: routed, re-keyed or dead-lettered with its
     * body, it would grow by a few hundred bytes of key and headers, and one within that of the topics' limit would be
     * refused by the broker, stopping the router on it after every restart. Its dead letter keeps only Herald's error
     * and where the record lies, and its id and type when they are short.
     */
    private void deadLetterWithoutBody(Record<String, byte[]> record, long bytes) {
        String detail = "the record is " + bytes + " bytes of key, body and headers, more than the ingest ever writes ("
                + MAX_RECORD_BYTES + "); dead-lettered without its body and headers, which stay where herald_source_* says";
        Headers headers = new RecordHeaders();
        for (String name : List.of(EventHeaders.CE_ID, EventHeaders.CE_TYPE)) {
            String value = text(record.headers(), name);
            if (value != null && value.length() <= MAX_EVENT_ID_LENGTH) {
                headers.add(name, utf8(value));
            }
        }
        String key = record.key() != null && record.key().length() <= MAX_EVENT_ID_LENGTH ? record.key() : null;
        // An empty body, not none: the console lists a dead letter with a value only.
        deadLetter(new Record<>(key, new byte[0], record.timestamp(), headers), DeadLetterReason.TOO_LARGE, detail);
    }

    private static void addSource(Headers headers, RecordMetadata source) {
        headers.remove(SOURCE_TOPIC).add(SOURCE_TOPIC, utf8(source.topic()));
        headers.remove(SOURCE_PARTITION).add(SOURCE_PARTITION, utf8(String.valueOf(source.partition())));
        headers.remove(SOURCE_OFFSET).add(SOURCE_OFFSET, utf8(String.valueOf(source.offset())));
    }

    /** The ingest's hash when present; computed for records written by anything else. */
    private static String bodyHash(Headers headers, byte[] body) {
        String given = text(headers, EventHeaders.BODY_SHA256);
        if (given != null && given.length() == 64) {
            return given.toLowerCase(Locale.ROOT);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static Duration sinceReceived(Headers headers) {
        String time = text(headers, EventHeaders.CE_TIME);
        if (time == null) {
            return Duration.ofMillis(-1);
        }
        try {
            return Duration.between(Instant.parse(time), Instant.now());
        } catch (DateTimeParseException e) {
            return Duration.ofMillis(-1);
        }
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
