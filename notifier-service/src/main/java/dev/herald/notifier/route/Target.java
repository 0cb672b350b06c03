package dev.herald.notifier.route;

import dev.herald.notifier.delivery.Destination;

/** One destination an event goes to, and the first route (in file order) that sends it there. */
public record Target(String route, Destination destination) {
}
