package dev.herald.notifier.it;

import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.Fold;
import dev.herald.notifier.delivery.Pace;
import dev.herald.notifier.delivery.SendResult;
import java.util.Optional;
import java.util.Queue;

/**
 * A channel that only records what it is asked to send, at its {@code pace}: for tests of the delivery stage alone,
 * where what matters is who sent what, in which order, how often and when.
 */
final class RecordingChannel implements Channel {

    /** One send: which stage made it, on which channel, to which destination, for which delivery, when. */
    record Send(String stage, String channel, String address, String deliveryId, long nanos) {
    }

    private final String name;
    private final String stage;
    private final Pace pace;
    private final Queue<Send> sends;

    RecordingChannel(String name, String stage, Pace pace, Queue<Send> sends) {
        this.name = name;
        this.stage = stage;
        this.pace = pace;
        this.sends = sends;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<String> refusal(String address) {
        return Optional.empty();
    }

    @Override
    public String redact(String address) {
        return address;
    }

    @Override
    public Pace pace() {
        return pace;
    }

    @Override
    public SendResult send(Delivery delivery, UniskaiEvent event) {
        sends.add(new Send(stage, name, delivery.destination().address(), delivery.id(), System.nanoTime()));
        return new SendResult.Sent();
    }

    @Override
    public SendResult sendFold(Fold fold) {
        fold.items().forEach(item -> sends.add(new Send(stage, name, fold.destination().address(), item.delivery().id(),
                System.nanoTime())));
        return new SendResult.Sent();
    }
}
