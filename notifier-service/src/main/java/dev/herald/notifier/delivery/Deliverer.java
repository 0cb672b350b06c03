package dev.herald.notifier.delivery;

import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.config.NotifierConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Makes one attempt of one delivery and decides what follows: the one place where idempotency, retries, backoff and
 * dead letters live, whatever the channel. Returns only once every record the attempt led to is stored in Kafka.
 */
@ApplicationScoped
public class Deliverer {

    private static final Logger LOG = Logger.getLogger(Deliverer.class);

    private final Map<String, Channel> channels;
    private final SentLedger ledger;
    private final DeliveryRecords records;
    private final NotifierMetrics metrics;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Tracer tracer;

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

    Deliverer(@All List<Channel> channels, SentLedger ledger, DeliveryRecords records, NotifierMetrics metrics,
            NotifierConfig config, Tracer tracer) {
        this.tracer = tracer;
        this.channels = channels.stream().collect(Collectors.toUnmodifiableMap(Channel::name, Function.identity()));
        this.ledger = ledger;
        this.records = records;
        this.metrics = metrics;
        this.backoff = new Backoff(config.notifier().initialBackoff(), config.notifier().maxBackoff());
        this.maxAttempts = config.notifier().maxAttempts();
    }

    public Map<String, Channel> channels() {
        return channels;
    }

    /** One attempt, traced as a child of the event's trace (the router's span, itself a child of the ingest's). */
    public void deliver(Delivery delivery, UniskaiEvent event) {
        Span span = tracer.spanBuilder("deliver " + delivery.destination().channel())
                .setParent(TRACE_CONTEXT.extract(Context.root(), delivery.traceparent(), TRACEPARENT))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("herald.event.id", delivery.eventId())
                .setAttribute("herald.event.type", delivery.type())
                .setAttribute("herald.delivery.attempt", delivery.attempt())
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            attempt(delivery, event);
        } finally {
            span.end();
        }
    }

    private void attempt(Delivery delivery, UniskaiEvent event) {
        if (ledger.isSent(delivery.id())) {
            metrics.delivery(delivery, "already_sent");
            LOG.debugf("%s was already sent; not sending it again", delivery);
            return;
        }
        Channel channel = channels.get(delivery.destination().channel());
        SendResult result;
        long started = System.nanoTime();
        if (channel == null) {
            result = new SendResult.GiveUp("no channel named " + delivery.destination().channel());
        } else {
            try {
                result = channel.send(delivery, event);
            } catch (RuntimeException e) {
                result = SendResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (!(result instanceof SendResult.Sent)) {
                Span.current().setStatus(StatusCode.ERROR, result.toString());
            }
            metrics.sendLatency(channel.name(), Duration.ofNanos(System.nanoTime() - started));
        }
        if (result instanceof SendResult.Sent) {
            ledger.markSent(delivery.id());
            records.outcome(delivery, "sent", null);
            metrics.delivery(delivery, "sent");
            if (delivery.receivedAt() != null) {
                metrics.endToEndLatency(delivery.destination().channel(), Duration.between(delivery.receivedAt(), Instant.now()));
            }
            LOG.infof("Sent event %s (%s) to %s, attempt %d", delivery.eventId(), delivery.type(),
                    delivery.destination(), delivery.attempt());
        } else if (result instanceof SendResult.Retry retry && delivery.attempt() < maxAttempts) {
            Duration delay = backoff.after(delivery.attempt());
            if (retry.after().isPresent() && retry.after().get().compareTo(delay) > 0) {
                delay = retry.after().get();
            }
            records.retry(new Delivery(delivery.headers().nextAttempt(Instant.now().plus(delay), retry.reason()),
                    delivery.destination(), delivery.body()));
            records.outcome(delivery, "retrying", retry.reason());
            metrics.delivery(delivery, "retrying");
            LOG.warnf("Event %s (%s) to %s failed (attempt %d of %d, next in %d ms): %s", delivery.eventId(),
                    delivery.type(), delivery.destination(), delivery.attempt(), maxAttempts, delay.toMillis(), retry.reason());
        } else {
            String reason = result instanceof SendResult.GiveUp giveUp ? giveUp.reason()
                    : "gave up after " + delivery.attempt() + " attempts: " + ((SendResult.Retry) result).reason();
            records.deadLetter(new Delivery(delivery.headers().withError(reason), delivery.destination(), delivery.body()));
            records.outcome(delivery, "dead", reason);
            metrics.delivery(delivery, "dead");
            LOG.errorf("Event %s (%s) to %s is dead-lettered: %s", delivery.eventId(), delivery.type(),
                    delivery.destination(), reason);
        }
    }
}
