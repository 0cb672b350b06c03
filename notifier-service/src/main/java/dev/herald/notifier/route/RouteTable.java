package dev.herald.notifier.route;

import dev.herald.events.UniskaiEvent;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Destination;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The routes of the routes file, in order, checked against the channels: an event goes to every destination of every
 * route that matches it. Built once at start-up; a route naming an unknown channel or an address its channel refuses
 * stops the start-up, naming the route and the field.
 */
public final class RouteTable {

    private final List<Route> routes;
    private final Map<String, List<Destination>> destinationsByRoute = new LinkedHashMap<>();
    private final Map<String, Destination> destinationsByKey = new HashMap<>();
    private final Map<String, Route> routesByName = new HashMap<>();

    /** @throws RoutesFileException naming the route and the field of the first address no channel takes */
    public RouteTable(List<Route> routes, Map<String, Channel> channels) {
        this.routes = List.copyOf(routes);
        for (Route route : this.routes) {
            List<Destination> destinations = new ArrayList<>();
            for (Map.Entry<String, List<String>> entry : route.destinations().entrySet()) {
                String where = "route \"" + route.name() + "\", field \"" + entry.getKey() + "\": ";
                Channel channel = channels.get(entry.getKey());
                if (channel == null) {
                    throw new RoutesFileException(where + "no channel of that name; channels: " + new TreeSet<>(channels.keySet()));
                }
                for (String address : entry.getValue()) {
                    Optional<String> refusal = channel.refusal(address);
                    if (refusal.isPresent()) {
                        throw new RoutesFileException(where + refusal.get());
                    }
                    Destination destination = new Destination(channel.name(), address, channel.redact(address));
                    destinations.add(destination);
                    destinationsByKey.putIfAbsent(lookupKey(destination.channel(), destination.key()), destination);
                }
            }
            destinationsByRoute.put(route.name(), List.copyOf(destinations));
            routesByName.put(route.name(), route);
        }
    }

    public List<Route> routes() {
        return routes;
    }

    /**
     * The distinct destinations of all routes that match the event, in file order; the first matching route names
     * each one. Empty when no route matches.
     */
    public List<Target> targetsOf(UniskaiEvent event) {
        Map<Destination, Target> targets = new LinkedHashMap<>();
        for (Route route : routes) {
            if (route.matches(event)) {
                destinationsByRoute.get(route.name())
                        .forEach(destination -> targets.putIfAbsent(destination, new Target(route.name(), destination)));
            }
        }
        return List.copyOf(targets.values());
    }

    /** The destination with this channel and {@link Destination#key()}, if the routes still name it (a retry's lookup). */
    public Optional<Destination> destinationByKey(String channel, String key) {
        return Optional.ofNullable(destinationsByKey.get(lookupKey(channel, key)));
    }

    /** The fold rule of the route of that name; empty when it has none or no such route exists. */
    public Optional<FoldRule> foldOf(String routeName) {
        Route route = routesByName.get(routeName);
        return route == null ? Optional.empty() : route.fold();
    }

    private static String lookupKey(String channel, String key) {
        return channel + "\n" + key;
    }
}
