package dev.herald.notifier.route;

import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Destination;
import java.util.LinkedHashSet;
import java.util.List;
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
}
