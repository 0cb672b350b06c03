package dev.herald.notifier.delivery;

import dev.herald.events.UniskaiEvent;
import java.util.Optional;

/**
 * A way to tell people about an event (email, Slack, ...). Each channel is a CDI bean of its own package, found by
 * its {@link #name()}; retrying, backoff, idempotency and dead letters live in {@link Deliverer}, not here.
 */
public interface Channel {

    /** The name routes and {@link Destination#channel()} use, e.g. {@code slack}. */
    String name();

    /** Why this channel refuses a destination from the routes file, or empty when it accepts it. Checked at start-up. */
    Optional<String> refusal(String address);

    /** One attempt; never throws for a failure of the peer, but says whether it may be retried. */
    SendResult send(Delivery delivery, UniskaiEvent event);
}
