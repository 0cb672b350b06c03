package dev.herald.notifier;

import dev.herald.events.CloudsitterStartStop;
import dev.herald.events.ScheduledResource;
import dev.herald.events.SpotRecreated;
import dev.herald.events.SpotResource;
import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Delivery;
import dev.herald.notifier.delivery.Destination;
import dev.herald.notifier.delivery.Fold;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

/** Folds of made-up events, as the engine would hand them to a channel. */
public final class Folds {

    public static final Destination DESTINATION = new Destination("email", "ops@example.com", "ops@example.com");

    private Folds() {
    }

    /** The events folded in order, with event ids evt-0, evt-1, ... */
    public static Fold of(List<? extends UniskaiEvent> events) {
        List<Fold.Item> items = IntStream.range(0, events.size())
                .mapToObj(i -> new Fold.Item(Delivery.first("evt-" + i, events.get(i).type(), "ops", DESTINATION, null, null,
                        "{}".getBytes(StandardCharsets.UTF_8)), events.get(i)))
                .toList();
        return new Fold(DESTINATION, events.get(0).type(), items);
    }

    /** A schedule stopping {@code count} resources, numbered from {@code first}, in account {@code account}. */
    public static CloudsitterStartStop stopped(String schedule, String account, int first, int count) {
        return new CloudsitterStartStop(schedule, resources(account, first, count), null);
    }

    public static CloudsitterStartStop started(String schedule, String account, int first, int count) {
        return new CloudsitterStartStop(schedule, null, resources(account, first, count));
    }

    public static SpotRecreated spotRecreated(String name, String region) {
        return new SpotRecreated(List.of(new SpotResource(name, "ec2-spot-instance", region, "vpc-1")));
    }

    private static List<ScheduledResource> resources(String account, int first, int count) {
        return IntStream.range(first, first + count)
                .mapToObj(i -> new ScheduledResource(account, "ec2", "arn:aws:ec2:" + account + ":" + i, "i-" + i, "eu-west-1"))
                .toList();
    }
}
