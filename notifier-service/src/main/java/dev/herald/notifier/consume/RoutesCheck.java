package dev.herald.notifier.consume;

import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.route.Route;
import dev.herald.notifier.route.RouteTable;
import dev.herald.notifier.route.RoutesFileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** At start-up, every destination of the routes file must be one its channel accepts (Slack: the allowed prefixes). */
public final class RoutesCheck {

    private RoutesCheck() {
    }

    /** @throws RoutesFileException naming the route and the field of the first refused destination */
    public static void check(RouteTable routes, Map<String, Channel> channels) {
        for (Route route : routes.routes()) {
            checkAll(route, "email", route.email(), channels.get("email"));
            checkAll(route, "slack", route.slack(), channels.get("slack"));
        }
    }

    private static void checkAll(Route route, String field, List<String> addresses, Channel channel) {
        for (String address : addresses) {
            Optional<String> refusal = channel == null ? Optional.of("no " + field + " channel") : channel.refusal(address);
            if (refusal.isPresent()) {
                throw new RoutesFileException("route \"" + route.name() + "\", field \"" + field + "\": " + refusal.get());
            }
        }
    }
}
