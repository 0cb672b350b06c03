package dev.herald.notifier.delivery;

import dev.herald.events.UniskaiEvent;
import java.util.Optional;

/**
 * A way to tell people about an event (email, Slack, ...): one package per channel, holding this bean, its config
 * mapping and its rendering. The channel owns its key in the routes file, what addresses it accepts, how an address
 * may be shown, and how fast one destination may receive messages. Pacing, retries, backoff, idempotency, folding and
 * dead letters live in the delivery engine, not here.
 */
public interface Channel {

    /** The routes file's key for this channel's addresses and {@link Destination#channel()}, e.g. {@code slack}. */
    String name();

    /** Why this channel refuses an address from the routes file, or empty when it accepts it. Checked at start-up. */
    Optional<String> refusal(String address);

    /** The only form of an address that may reach logs, metrics and stored records (a Slack webhook URL is a secret). */
    String redact(String address);

    /** How fast one destination of this channel may receive messages; the engine holds every destination to it. */
    Pace pace();

    /** One attempt of one delivery; never throws for a failure of the peer, but says whether it may be retried. */
    SendResult send(Delivery delivery, UniskaiEvent event);

    /** One attempt of one message that sums up several deliveries of one type to one destination. */
    SendResult sendFold(Fold fold);
}
