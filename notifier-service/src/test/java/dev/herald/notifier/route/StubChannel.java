package dev.herald.notifier.route;

import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.Fold;
import dev.herald.notifier.delivery.Pace;
import dev.herald.notifier.delivery.SendResult;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** A channel that only checks and redacts addresses: what the route table asks of a channel at start-up. */
public record StubChannel(String name, Function<String, Optional<String>> refusals, UnaryOperator<String> redaction)
        implements Channel {

    /** Accepts every address and shows it as it is. */
    public static StubChannel named(String name) {
        return new StubChannel(name, address -> Optional.empty(), UnaryOperator.identity());
    }

    @Override
    public Optional<String> refusal(String address) {
        return refusals.apply(address);
    }

    @Override
    public String redact(String address) {
        return redaction.apply(address);
    }

    @Override
    public Pace pace() {
        return Pace.UNLIMITED;
    }

    @Override
    public SendResult send(Delivery delivery, UniskaiEvent event) {
        throw new AssertionError("the route table sends nothing");
    }

    @Override
    public SendResult sendFold(Fold fold) {
        throw new AssertionError("the route table sends nothing");
    }
}
