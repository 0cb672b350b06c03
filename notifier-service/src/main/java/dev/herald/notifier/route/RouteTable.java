package dev.herald.notifier.route;

import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Destination;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The routes of the routes file, in order: an event goes to every destination of every route that matches it. */
public final class RouteTable {

    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public List<Route> routes() {
        return routes;
    }

    /** The distinct destinations of all matching routes; empty when no route matches. */
    public List<Destination> destinationsOf(UniskaiEvent event) {
        Set<Destination> destinations = new LinkedHashSet<>();
        for (Route route : routes) {
            if (route.matches(event)) {
                route.email().forEach(address -> destinations.add(new Destination(Destination.EMAIL, address)));
                route.slack().forEach(url -> destinations.add(new Destination(Destination.SLACK, url)));
            }
        }
        return List.copyOf(destinations);
    }

    /** The destination of any route with this channel and {@link Destination#key()}, if the routes still name it. */
    public Optional<Destination> destinationByKey(String channel, String key) {
        return routes.stream()
                .flatMap(route -> java.util.stream.Stream.concat(
                        route.email().stream().map(address -> new Destination(Destination.EMAIL, address)),
                        route.slack().stream().map(url -> new Destination(Destination.SLACK, url))))
                .filter(destination -> destination.channel().equals(channel) && destination.key().equals(key))
                .findFirst();
    }
}
