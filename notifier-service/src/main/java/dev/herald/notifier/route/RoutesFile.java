package dev.herald.notifier.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and checks the routes file ({@code HERALD_ROUTES}). Every problem names the route and the field, and
 * {@code ${VAR}} reads the environment (a missing variable is an error, not an empty string).
 *
 * <pre>
 * routes:
 *   - name: finops
 *     types: [spot-recreated, "spot-*"]
 *     accounts: ["12345678"]            # optional
 *     email: [finops@example.com]
 *     slack: ["${SLACK_FINOPS_WEBHOOK}"]
 * </pre>
 */
public final class RoutesFile {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+\\.[^@\\s<>,;\"]+");
    private static final Pattern TYPE_GLOB = Pattern.compile("[a-z0-9*?-]+");
    private static final Set<String> FIELDS = Set.of("name", "types", "accounts", "email", "slack");

    private RoutesFile() {
    }

    public static List<Route> read(Path path, Function<String, String> environment) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new RoutesFileException("cannot read the routes file " + path + " (HERALD_ROUTES): " + e.getMessage(), e);
        }
        return parse(text, environment);
    }

    public static List<Route> parse(String yaml, Function<String, String> environment) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
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
                throw new RoutesFileException(where + " must be a mapping with name, types, email and/or slack");
            }
            String name = text(node, "name", where);
            where = "route \"" + name + "\"";
            if (!names.add(name)) {
                throw new RoutesFileException(where + ": the name is used twice");
            }
            for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!FIELDS.contains(field)) {
                    throw new RoutesFileException(where + ", field \"" + field + "\": unknown field; expected one of " + FIELDS);
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
            List<String> email = list(node, "email", where, environment);
            for (String address : email) {
                if (!EMAIL.matcher(address).matches()) {
                    throw new RoutesFileException(where + ", field \"email\": \"" + address + "\" is not an email address");
                }
            }
            List<String> slack = list(node, "slack", where, environment);
            if (email.isEmpty() && slack.isEmpty()) {
                throw new RoutesFileException(where + ": give at least one \"email\" or \"slack\" destination");
            }
            routes.add(new Route(name, types, list(node, "accounts", where, environment), email, slack));
            index++;
        }
        return List.copyOf(routes);
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
