package dev.herald.console.journey;

import dev.herald.events.DeliveryHeaders;

/**
 * A delivery as the notifier dead-lettered it: its facts, and the event's body as received. What a replay writes
 * back to the deliveries topic, byte for byte.
 */
public record StoredDelivery(DeliveryHeaders headers, byte[] body) {

    public StoredDelivery {
        if (headers == null || body == null) {
            throw new IllegalArgumentException("a stored delivery has headers and a body");
        }
    }
}
