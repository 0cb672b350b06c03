package dev.herald.notifier.delivery;

import dev.herald.events.UniskaiEvent;
import java.util.List;

/**
 * Several deliveries of one event type to one destination, sent as one message that sums them all up (a route's
 * {@code fold}). Every delivery in it counts as sent by that one message.
 *
 * @param items in the order the deliveries arrived; at least two
 */
public record Fold(Destination destination, String type, List<Item> items) {

    /** One folded delivery and its event. */
    public record Item(Delivery delivery, UniskaiEvent event) {
    }

    public Fold {
        items = List.copyOf(items);
        if (items.size() < 2) {
            throw new IllegalArgumentException("a fold sums up at least two deliveries");
        }
    }

    /** Stable for the same deliveries: the basis of the message's id (an email's Message-ID). */
    public String id() {
        return "fold/" + items.get(0).delivery().id() + "/" + items.size();
    }
}
