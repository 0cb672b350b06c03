package dev.herald.notifier.delivery;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What follows one attempt (of one delivery, or of one folded message for several): a done mark per delivery, in the
 * order of {@code items}, and the other records (retries, dead letters, outcomes). They are written in one Kafka
 * transaction; only then are the deliveries done. {@code holdDestination}: how long the destination gets no message
 * (a 429's Retry-After, a peer that is down), zero when it may go on.
 */
record Settlement(List<Pending> items, List<ProducerRecord<String, byte[]>> marks,
        List<ProducerRecord<String, byte[]>> others, Duration holdDestination) {

    Settlement {
        if (items.size() != marks.size()) {
            throw new IllegalArgumentException("one done mark per delivery");
        }
    }
}
