package dev.herald.notifier.consume;

import dev.herald.events.EventHeaders;
import dev.herald.events.EventLogContext;
import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Deliverer;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.NotifierMetrics;
import dev.herald.notifier.route.RouteTable;
import dev.herald.notifier.route.Target;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Consumes one per-type topic with its own consumer group and fans each event out to one delivery per destination
 * of every matching route. An event's offset is committed once all its deliveries are sent, queued for a retry or
 * dead-lettered.
 */
final class EventConsumer extends RecordLoop {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final RouteTable routes;
    private final Deliverer deliverer;
    private final NotifierMetrics metrics;
    private final EventReader reader = new EventReader();

    EventConsumer(RecordLoop.Settings settings, RouteTable routes, Deliverer deliverer, NotifierMetrics metrics) {
        super(settings);
        this.routes = routes;
        this.deliverer = deliverer;
        this.metrics = metrics;
    }

    @Override
    protected boolean handle(ConsumerRecord<String, byte[]> record) {
        try (var context = EventLogContext.of(header(record, EventHeaders.CE_ID).orElse(null),
                header(record, EventHeaders.CE_TYPE).orElse(null), header(record, EventHeaders.TRACEPARENT).orElse(null))) {
            return fanOut(record);
        }
    }

    private boolean fanOut(ConsumerRecord<String, byte[]> record) {
        String eventId = header(record, EventHeaders.CE_ID).orElse(record.topic() + "-" + record.partition() + "-" + record.offset());
        Optional<UniskaiEvent> read = reader.read(record.value() == null ? new byte[0] : record.value());
        if (read.isEmpty()) {
            LOG.errorf("Event %s at %s-%d@%d is not a readable Uniskai event; the router should have dead-lettered it",
                    eventId, record.topic(), record.partition(), record.offset());
            metrics.unrouted(header(record, EventHeaders.CE_TYPE).orElse("unknown"));
            return true;
        }
        UniskaiEvent event = read.get();
        List<Target> targets = routes.targetsOf(event);
        if (targets.isEmpty()) {
            metrics.unrouted(event.type());
            LOG.infof("No route matches event %s (%s); nothing to deliver", eventId, event.type());
            return true;
        }
        Instant receivedAt = header(record, EventHeaders.CE_TIME).flatMap(EventConsumer::instant).orElse(null);
        String traceparent = header(record, EventHeaders.TRACEPARENT).orElse(null);
        for (Target target : targets) {
            deliverer.deliver(Delivery.first(eventId, event.type(), target.route(), target.destination(), receivedAt,
                    traceparent, record.value()), event);
        }
        return true;
    }

    private static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? Optional.empty() : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
