package dev.herald.notifier.route;

import dev.herald.events.UniskaiEvent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One entry of the routes file: the events it matches (type globs, optional accounts) and where they go.
 *
 * @param accounts empty to match any account; otherwise the event must name one of these account ids
 * @param destinations channel name → its addresses, both in file order
 * @param fold whether bursts to one destination are sent as one message
 */
public record Route(String name, List<String> types, List<String> accounts, Map<String, List<String>> destinations,
        Optional<FoldRule> fold) {

    /** Each glob of the routes file compiled once (the poll thread matches every event against them). */
    private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

    public Route {
        types = List.copyOf(types);
        accounts = List.copyOf(accounts);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        destinations.forEach((channel, addresses) -> copy.put(channel, List.copyOf(addresses)));
        destinations = Collections.unmodifiableMap(copy);
    }

    public boolean matches(UniskaiEvent event) {
        boolean typeMatches = types.stream().anyMatch(glob -> globMatches(glob, event.type()));
        boolean accountMatches = accounts.isEmpty() || event.accountIds().stream().anyMatch(accounts::contains);
        return typeMatches && accountMatches;
    }

    static boolean globMatches(String glob, String type) {
        return GLOBS.computeIfAbsent(glob, Route::globPattern).matcher(type).matches();
    }

    /**
     * DOTALL: the ingest takes any type a sender names, line breaks included, and {@code *} must still match it (a
     * catch-all route missing such an event would drop it as unrouted).
     */
    private static Pattern globPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
