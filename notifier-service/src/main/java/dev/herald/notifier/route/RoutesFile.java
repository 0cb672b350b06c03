package dev.herald.notifier.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks the routes file ({@code HERALD_ROUTES}). Every problem names the route and the field, and
 * {@code ${VAR}} reads the environment (a missing variable is an error, not an empty string). Each channel's name is
 * a field holding its addresses; whether a channel accepts an address is the channel's call, made by
 * {@link RouteTable}.
 *
 * <pre>
 * routes:
 *   - name: finops
 *     types: [spot-recreated, "spot-*"]
 *     accounts: ["12345678"]            # optional
 *     fold: {after: 5, within: 30s}     # optional
 *     email: [finops@example.com]
 *     slack: ["${SLACK_FINOPS_WEBHOOK}"]
 * </pre>
 */
public final class RoutesFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern TYPE_GLOB = Pattern.compile("[a-z0-9*?-]+");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final List<String> ROUTE_FIELDS = List.of("name", "types", "accounts", "fold");
    private static final Set<String> FOLD_FIELDS = Set.of("after", "within");
    private static final String DURATION_FORMS = "e.g. 500ms, 30s, 2m, 1h or PT30S";

    private RoutesFile() {
    }

    public static List<Route> read(Path path, Function<String, String> environment, Set<String> channelNames) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new RoutesFileException("cannot read the routes file " + path + " (HERALD_ROUTES): " + e.getMessage(), e);
        }
        return parse(text, environment, channelNames);
    }

    /** @param channelNames the fields that hold addresses, one per channel (e.g. email, slack) */
    public static List<Route> parse(String yaml, Function<String, String> environment, Set<String> channelNames) {
        for (String channel : channelNames) {
            if (ROUTE_FIELDS.contains(channel)) {
                throw new IllegalArgumentException("a channel cannot be named \"" + channel + "\": a route's own field");
            }
        }
        List<String> channels = List.copyOf(new TreeSet<>(channelNames));
        List<String> fields = new ArrayList<>(ROUTE_FIELDS);
        fields.addAll(channels);
        JsonNode root;
        try {
            // A key given twice (two "email:" in one route) would keep only the last silently.
            root = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).readTree(yaml);
        } catch (IOException e) {
            throw new RoutesFileException("the routes file is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.has("routes") || !root.get("routes").isArray()) {
            throw new RoutesFileException("the routes file must have a top-level list \"routes\"");
        }
        List<Route> routes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode node : root.get("routes")) {
            String where = "routes[" + index + "]";
            if (!node.isObject()) {
                throw new RoutesFileException(where + " must be a mapping with name, types and addresses under " + channels);
            }
            String name = text(node, "name", where);
            where = "route \"" + name + "\"";
            if (!names.add(name)) {
                throw new RoutesFileException(where + ": the name is used twice");
            }
            Map<String, List<String>> destinations = new LinkedHashMap<>();
            for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
                String field = keys.next();
                if (!fields.contains(field)) {
                    throw new RoutesFileException(where + ", field \"" + field + "\": unknown field; expected one of " + fields);
                }
                if (channels.contains(field)) {
                    destinations.put(field, list(node, field, where, environment));
                }
            }
            List<String> types = list(node, "types", where, environment);
            if (types.isEmpty()) {
                throw new RoutesFileException(where + ", field \"types\": list at least one type or glob, e.g. \"*\"");
            }
            for (String type : types) {
                if (!TYPE_GLOB.matcher(type).matches()) {
                    throw new RoutesFileException(where + ", field \"types\": \"" + type + "\" is not a type name or glob");
                }
            }
            if (destinations.values().stream().allMatch(List::isEmpty)) {
                throw new RoutesFileException(where + ": give at least one address under one of " + channels);
            }
            routes.add(new Route(name, types, list(node, "accounts", where, environment), destinations,
                    fold(node.get("fold"), where)));
            index++;
        }
        return List.copyOf(routes);
    }

    private static Optional<FoldRule> fold(JsonNode fold, String where) {
        if (fold == null || fold.isNull()) {
            return Optional.empty();
        }
        if (!fold.isObject()) {
            throw new RoutesFileException(where + ", field \"fold\": must be a mapping like {after: 5, within: 30s}");
        }
        for (Iterator<String> fields = fold.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!FOLD_FIELDS.contains(field)) {
                throw new RoutesFileException(where + ", field \"fold." + field + "\": unknown field; expected after and within");
            }
        }
        JsonNode after = fold.get("after");
        if (after == null || !after.isIntegralNumber() || !after.canConvertToInt() || after.asInt() < 1) {
            throw new RoutesFileException(where + ", field \"fold.after\": required, a whole number of at least 1");
        }
        Duration within = duration(fold.get("within"), where + ", field \"fold.within\": ");
        if (within.isNegative() || within.isZero()) {
            throw new RoutesFileException(where + ", field \"fold.within\": must be more than 0");
        }
        if (within.compareTo(FoldRule.MAX_WITHIN) > 0) {
            throw new RoutesFileException(where + ", field \"fold.within\": at most 1h, so folded messages are not held "
                    + "back longer than that");
        }
        return Optional.of(new FoldRule(after.asInt(), within));
    }

    private static Duration duration(JsonNode value, String where) {
        if (value == null || value.isNull()) {
            throw new RoutesFileException(where + "required, a duration, " + DURATION_FORMS);
        }
        if (!value.isTextual()) {
            throw new RoutesFileException(where + "\"" + value.asText() + "\" has no unit; write a duration, " + DURATION_FORMS);
        }
        String text = value.asText().trim();
        Matcher shortForm = SHORT_DURATION.matcher(text);
        try {
            if (shortForm.matches()) {
                long amount = Long.parseLong(shortForm.group(1));
                return switch (shortForm.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            return Duration.parse(text);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new RoutesFileException(where + "\"" + text + "\" is not a duration; write one, " + DURATION_FORMS);
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new RoutesFileException(where + ", field \"" + field + "\": required, a non-empty string");
        }
        return value.asText();
    }

    private static List<String> list(JsonNode node, String field, String where, Function<String, String> environment) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new RoutesFileException(where + ", field \"" + field + "\": must be a list");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isValueNode() || item.isNull()) {
                throw new RoutesFileException(where + ", field \"" + field + "\": every item must be a string");
            }
            items.add(expand(item.asText().trim(), where, field, environment));
        }
        return List.copyOf(items);
    }

    private static String expand(String value, String where, String field, Function<String, String> environment) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String variable = environment.apply(matcher.group(1));
            if (variable == null || variable.isBlank()) {
                throw new RoutesFileException(where + ", field \"" + field + "\": environment variable "
                        + matcher.group(1) + " is not set");
            }
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(variable.trim()));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    /** The process environment, for {@link #read}. */
    public static Function<String, String> systemEnvironment() {
        Map<String, String> env = System.getenv();
        return env::get;
    }
}
