package dev.herald.router.routing;

import dev.herald.events.EventHeaders;
import dev.herald.events.EventLogContext;
import dev.herald.events.ParseOutcome;
import dev.herald.events.Topics;
import dev.herald.events.WebhookParser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.jboss.logging.Logger;

/**
 * Routes one raw record: to its per-type topic, to the dead-letter topic when it cannot be routed, or nowhere when
 * it repeats an event already routed. Value, key and headers are forwarded unchanged.
 *
 * <p>Duplicates are recognised by the sender's event id within {@code idWindow}, or, for events whose id Herald
 * generated, by the body's SHA-256 within {@code bodyWindow}. Both memories are window stores backed by changelog
 * topics, written in the same Kafka transaction as the output, so a crash neither forgets nor invents an event.
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
    private WindowStore<String, Long> seenIds;
    private WindowStore<String, Long> seenBodies;

    RawWebhookRouter(Topics topics, Duration idWindow, Duration bodyWindow, RoutingMetrics metrics, Tracer tracer) {
        this.topics = topics;
        this.tracer = tracer;
        this.idWindow = idWindow;
        this.bodyWindow = bodyWindow;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.seenIds = context.getStateStore(RoutingTopology.SEEN_IDS_STORE);
        this.seenBodies = context.getStateStore(RoutingTopology.SEEN_BODIES_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        try (var context = EventLogContext.of(text(record.headers(), EventHeaders.CE_ID),
                text(record.headers(), EventHeaders.CE_TYPE), text(record.headers(), EventHeaders.TRACEPARENT))) {
            route(record);
        }
    }

    private void route(Record<String, byte[]> record) {
        String eventId = text(record.headers(), EventHeaders.CE_ID);
        if (eventId == null || eventId.isBlank()) {
            deadLetter(record, DeadLetterReason.MISSING_EVENT_ID, "the record has no ce_id header");
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
        if (isDuplicate(record, eventId, body)) {
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

    private boolean isDuplicate(Record<String, byte[]> record, String eventId, byte[] body) {
        boolean senderChoseId = !EventHeaders.ID_GENERATED.equals(text(record.headers(), EventHeaders.ID_SOURCE));
        String matchedBy = senderChoseId ? RoutingMetrics.BY_EVENT_ID : RoutingMetrics.BY_BODY;
        WindowStore<String, Long> store = senderChoseId ? seenIds : seenBodies;
        Duration window = senderChoseId ? idWindow : bodyWindow;
        String key = senderChoseId ? eventId : bodyHash(record.headers(), body);
        long now = record.timestamp();
        try (WindowStoreIterator<Long> seen = store.fetch(key, now - window.toMillis(), now + window.toMillis())) {
            if (seen.hasNext()) {
                metrics.duplicateDropped(matchedBy);
                return true;
            }
        }
        store.put(key, now, now);
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

    private static void addSource(Headers headers, RecordMetadata source) {
        headers.remove(SOURCE_TOPIC).add(SOURCE_TOPIC, utf8(source.topic()));
        headers.remove(SOURCE_PARTITION).add(SOURCE_PARTITION, utf8(String.valueOf(source.partition())));
        headers.remove(SOURCE_OFFSET).add(SOURCE_OFFSET, utf8(String.valueOf(source.offset())));
    }

    /** The ingest's hash when present; computed for records written by anything else. */
    private static String bodyHash(Headers headers, byte[] body) {
        String given = text(headers, EventHeaders.BODY_SHA256);
        if (given != null && given.length() == 64) {
            return given;
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
