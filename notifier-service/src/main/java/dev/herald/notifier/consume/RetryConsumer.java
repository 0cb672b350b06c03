package dev.herald.notifier.consume;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.events.EventLogContext;
import dev.herald.notifier.delivery.Deliverer;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.DeliveryRecord;
import dev.herald.notifier.delivery.DeliveryRecords;
import dev.herald.notifier.delivery.Destination;
import dev.herald.notifier.route.RouteTable;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Works off the retry topic: a delivery whose time has not come pauses its partition until then (the record stays
 * uncommitted, so a restart loses no retry), while new events keep flowing on their own consumers.
 */
final class RetryConsumer extends RecordLoop {

    private static final Logger LOG = Logger.getLogger(RetryConsumer.class);

    private final RouteTable routes;
    private final Deliverer deliverer;
    private final DeliveryRecords records;
    private final ObjectMapper mapper;
    private final EventReader reader = new EventReader();
    private final Map<TopicPartition, Instant> resumeAt = new HashMap<>();

    RetryConsumer(RecordLoop.Settings settings, RouteTable routes, Deliverer deliverer, DeliveryRecords records,
            ObjectMapper mapper) {
        super(settings);
        this.routes = routes;
        this.deliverer = deliverer;
        this.records = records;
        this.mapper = mapper;
    }

    @Override
    protected void beforePoll() {
        Instant now = Instant.now();
        List<TopicPartition> due = resumeAt.entrySet().stream()
                .filter(e -> !e.getValue().isAfter(now)).map(Map.Entry::getKey).toList();
        if (!due.isEmpty()) {
            due.forEach(resumeAt::remove);
            consumer.resume(due);
        }
    }

    @Override
    protected void onRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(resumeAt::remove);
    }

    @Override
    protected boolean handle(ConsumerRecord<String, byte[]> record) {
        DeliveryRecord stored;
        try {
            stored = mapper.readValue(record.value(), DeliveryRecord.class);
        } catch (IOException e) {
            LOG.errorf("Retry record %s-%d@%d is unreadable and is skipped: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return true;
        }
        if (stored.notBefore().isAfter(Instant.now())) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            consumer.seek(partition, record.offset());
            consumer.pause(List.of(partition));
            resumeAt.put(partition, stored.notBefore());
            return false;
        }
        Optional<Destination> destination = routes.destinationByKey(stored.channel(), stored.destinationKey());
        if (destination.isEmpty()) {
            LOG.warnf("Delivery %s is dropped from retries: its destination %s is no longer in the routes file",
                    stored.id(), stored.destination());
            records.deadLetter(stored.withError("the destination is no longer in the routes file"));
            return true;
        }
        Delivery delivery = stored.toDelivery(destination.get());
        try (var context = EventLogContext.of(delivery.eventId(), delivery.type(), delivery.traceparent())) {
            reader.read(delivery.body()).ifPresentOrElse(
                    event -> deliverer.deliver(delivery, event),
                    () -> records.deadLetter(new Delivery(delivery.headers().withError("the event body is no longer readable"),
                            delivery.destination(), delivery.body())));
        }
        return true;
    }
}
