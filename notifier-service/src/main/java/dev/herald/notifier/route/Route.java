package dev.herald.notifier.route;

import dev.herald.events.UniskaiEvent;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of the routes file: the events it matches (type globs, optional accounts) and where they go.
 *
 * @param accounts empty to match any account; otherwise the event must name one of these account ids
 */
public record Route(String name, List<String> types, List<String> accounts, List<String> email, List<String> slack) {

    public boolean matches(UniskaiEvent event) {
        boolean typeMatches = types.stream().anyMatch(glob -> globMatches(glob, event.type()));
        boolean accountMatches = accounts.isEmpty() || event.accountIds().stream().anyMatch(accounts::contains);
        return typeMatches && accountMatches;
    }

    static boolean globMatches(String glob, String type) {
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
        return Pattern.matches(regex.toString(), type);
    }
}
