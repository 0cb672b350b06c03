package dev.herald.notifier.delivery;

import dev.herald.events.DeliveryHeaders;
import dev.herald.events.EventLogContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Makes one attempt (one delivery, or one folded message for several) and decides what follows: the one place where
 * retries, backoff, {@code Retry-After} and dead letters are decided, whatever the channel. It returns the records
 * that say so; it writes nothing itself.
 */
final class Deliverer {

    private static final Logger LOG = Logger.getLogger(Deliverer.class);
    private static final W3CTraceContextPropagator TRACE_CONTEXT = W3CTraceContextPropagator.getInstance();
    /** Reads the one header a delivery keeps of its event's trace. */
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceparent) {
            return List.of("traceparent");
        }

        @Override
        public String get(String traceparent, String key) {
            return "traceparent".equals(key) ? traceparent : null;
        }
    };

    private final Map<String, Channel> channels;
    private final DeliveryRecords records;
    private final NotifierMetrics metrics;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Tracer tracer;

    Deliverer(Map<String, Channel> channels, DeliveryRecords records, NotifierMetrics metrics, Backoff backoff,
            int maxAttempts, Tracer tracer) {
        this.channels = channels;
        this.records = records;
        this.metrics = metrics;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.tracer = tracer;
    }

    /** One attempt for {@code items}: all of one destination; several only when they are folded into one message. */
    Settlement attempt(List<Pending> items) {
        Pending first = items.get(0);
        Delivery delivery = first.delivery();
        Span span = tracer.spanBuilder("deliver " + delivery.destination().channel())
                .setParent(TRACE_CONTEXT.extract(Context.root(), delivery.traceparent(), TRACEPARENT))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("herald.event.id", delivery.eventId())
                .setAttribute("herald.event.type", delivery.type())
                .setAttribute("herald.delivery.attempt", delivery.attempt())
                .setAttribute("herald.delivery.folded", items.size())
                .startSpan();
        try (Scope scope = span.makeCurrent();
                var context = EventLogContext.of(delivery.eventId(), delivery.type(), delivery.traceparent())) {
            SendResult result;
            try {
                result = send(items);
            } catch (RuntimeException | LinkageError e) {
                // Whatever fails around the send (tracing, metrics), the attempt ends in a settlement, never in silence.
                result = SendResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (!(result instanceof SendResult.Sent)) {
                span.setStatus(StatusCode.ERROR, result.toString());
            }
            return settle(items, result);
        } finally {
            span.end();
        }
    }

    private SendResult send(List<Pending> items) {
        Delivery delivery = items.get(0).delivery();
        Channel channel = channels.get(delivery.destination().channel());
        if (channel == null) {
            return new SendResult.GiveUp("no channel named " + delivery.destination().channel());
        }
        long started = System.nanoTime();
        try {
            if (items.size() == 1) {
                return channel.send(delivery, items.get(0).event());
            }
            return channel.sendFold(new Fold(delivery.destination(), delivery.type(),
                    items.stream().map(item -> new Fold.Item(item.delivery(), item.event())).toList()));
        } catch (RuntimeException e) {
            // Channels answer a peer's failures as Retry themselves; what escapes them (a rendering that cannot
            // succeed for this event) would fail the same way every time.
            return new SendResult.GiveUp("the " + channel.name() + " channel failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } finally {
            metrics.sendLatency(channel.name(), Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Settlement settle(List<Pending> items, SendResult result) {
        List<ProducerRecord<String, byte[]>> marks = new ArrayList<>(items.size());
        List<ProducerRecord<String, byte[]>> others = new ArrayList<>(items.size() * 2);
        Duration hold = Duration.ZERO;
        Instant now = Instant.now();
        String sentAs = items.size() > 1 ? "folded" : "sent";
        for (Pending item : items) {
            Delivery delivery = item.delivery();
            DeliveryHeaders headers = delivery.headers();
            if (result instanceof SendResult.Sent) {
                marks.add(records.done(item.partition(), item.offset(), delivery.id(), sentAs));
                others.add(records.outcome(headers, "sent", items.size() > 1 ? "folded into one message of " + items.size() : null));
                metrics.delivery(delivery, "sent");
                headers.age(now).ifPresent(age -> metrics.endToEndLatency(delivery.destination().channel(), age));
            } else if (result instanceof SendResult.Retry retry && delivery.attempt() < maxAttempts) {
                Duration delay = backoff.after(delivery.attempt());
                Optional<Duration> asked = retry.after().map(after -> min(after, backoff.max()));
                if (asked.isPresent() && asked.get().compareTo(delay) > 0) {
                    delay = asked.get();
                }
                others.add(records.retry(headers.nextAttempt(now.plus(delay), retry.reason()), delivery.body()));
                others.add(records.outcome(headers, "retrying", retry.reason()));
                marks.add(records.done(item.partition(), item.offset(), delivery.id(), "retried"));
                metrics.delivery(delivery, "retrying");
                LOG.warnf("%s failed (attempt %d of %d, next in %d ms): %s", delivery, delivery.attempt(), maxAttempts,
                        delay.toMillis(), retry.reason());
            } else {
                String reason = result instanceof SendResult.GiveUp giveUp ? giveUp.reason()
                        : "gave up after " + delivery.attempt() + " attempts: " + ((SendResult.Retry) result).reason();
                others.add(records.deadLetter(headers.withError(reason), delivery.body()));
                others.add(records.outcome(headers, "dead", reason));
                marks.add(records.done(item.partition(), item.offset(), delivery.id(), "dead"));
                metrics.delivery(delivery, "dead");
                LOG.errorf("%s is dead-lettered: %s", delivery, reason);
            }
        }
        if (result instanceof SendResult.Retry retry) {
            // The destination is held even after a last attempt: the next deliveries would meet the same answer.
            Duration delay = backoff.after(items.get(0).delivery().attempt());
            hold = retry.after().map(after -> min(after, backoff.max())).orElse(delay);
        }
        if (result instanceof SendResult.Sent) {
            Delivery delivery = items.get(0).delivery();
            if (items.size() > 1) {
                metrics.fold(delivery.destination().channel(), delivery.type(), items.size());
            }
            LOG.debugf("Sent %s%s", delivery, items.size() > 1 ? " with " + (items.size() - 1) + " more folded into one message" : "");
        }
        return new Settlement(items, marks, others, hold);
    }

    /**
     * An attempt that failed inside Herald (a fault of its own, after the send or before it): dead-lettered once,
     * saying that it may have been sent, rather than retried in a loop or left holding its lane.
     */
    Settlement failed(List<Pending> items, Throwable fault) {
        LOG.errorf(fault, "An attempt for %s failed inside Herald; its %d deliveries are dead-lettered", items.get(0).delivery(),
                items.size());
        String reason = "the attempt failed inside Herald (" + fault.getClass().getSimpleName() + "); it may have been sent";
        List<ProducerRecord<String, byte[]>> marks = new ArrayList<>(items.size());
        List<ProducerRecord<String, byte[]>> others = new ArrayList<>(items.size() * 2);
        for (Pending item : items) {
            Settlement one = deadLetter(item, reason);
            marks.addAll(one.marks());
            others.addAll(one.others());
        }
        return new Settlement(items, marks, others, Duration.ZERO);
    }

    /** A record that cannot be attempted (unreadable, or its destination left the routes file): dead-lettered once. */
    Settlement deadLetter(Pending item, String reason) {
        Delivery delivery = item.delivery();
        metrics.delivery(delivery, "dead");
        LOG.errorf("%s is dead-lettered: %s", delivery, reason);
        return new Settlement(List.of(item), List.of(records.done(item.partition(), item.offset(), delivery.id(), "dead")),
                List.of(records.deadLetter(delivery.headers().withError(reason), delivery.body()),
                        records.outcome(delivery.headers(), "dead", reason)), Duration.ZERO);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
