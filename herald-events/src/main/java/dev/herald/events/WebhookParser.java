package dev.herald.events;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;

/**
 * Reads a webhook body into its {@link UniskaiEvent}. Unknown fields are ignored (the raw body stays the record of
 * truth), JSON kinds are strict (a number is not a string: AWS account ids keep their leading zeros only as text),
 * and nesting is bounded so a hostile body costs little. Thread-safe.
 */
public final class WebhookParser {

    /** Deep enough for any documented shape, shallow enough that a nesting bomb fails fast. */
    static final int MAX_NESTING_DEPTH = 64;
    /**
     * Items in one list. Hundreds of stopped resources or accounts are the documented case; a 1 MiB body of empty
     * items would otherwise hold some 350,000, each broken in five fields: millions of violations built, sorted and
     * written into one answer.
     */
    static final int MAX_LIST_ITEMS = 10_000;
    /** A type names a topic's events, a log line's and a header's: any name a sender picks, within reason. */
    static final int MAX_TYPE_LENGTH = 200;

    private final ObjectMapper mapper;

    public WebhookParser() {
        JsonMapper jsonMapper = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        jsonMapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
        jsonMapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        jsonMapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        this.mapper = jsonMapper;
    }

    public ParseOutcome parse(byte[] body) {
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (IOException e) {
            return new ParseOutcome.Malformed("body is not valid JSON: " + describe(e));
        }
        if (tree == null || tree.isMissingNode()) {
            return new ParseOutcome.Malformed("body is empty; expected a JSON object");
        }
        if (!(tree instanceof ObjectNode object)) {
            return new ParseOutcome.Malformed("body is a JSON " + tree.getNodeType().name().toLowerCase()
                    + "; expected a JSON object");
        }
        JsonNode type = object.get("type");
        if (type == null || type.isNull()) {
            return new ParseOutcome.Malformed("$.type is missing; every Uniskai event has a string \"type\"");
        }
        if (!type.isTextual() || type.asText().isBlank()) {
            return new ParseOutcome.Malformed("$.type must be a non-empty string");
        }
        String typeName = type.asText();
        if (typeName.length() > MAX_TYPE_LENGTH || typeName.codePoints().anyMatch(WebhookParser::isControl)) {
            return new ParseOutcome.Malformed("$.type must be at most " + MAX_TYPE_LENGTH
                    + " characters, without line breaks or other control characters");
        }
        return EventType.byName(typeName)
                .<ParseOutcome>map(documented -> read(object, documented))
                .orElseGet(() -> new ParseOutcome.Parsed(new UndocumentedEvent(typeName, object)));
    }

    private ParseOutcome read(ObjectNode object, EventType type) {
        String longList = longList(object, type);
        if (longList != null) {
            return new ParseOutcome.Mismatched(type.typeName(), List.of(new Violation(longList,
                    "has more than " + MAX_LIST_ITEMS + " items")));
        }
        try {
            return new ParseOutcome.Parsed(mapper.treeToValue(object, type.recordClass()));
        } catch (JsonMappingException e) {
            return new ParseOutcome.Mismatched(type.typeName(), List.of(new Violation(jsonPath(e), kindMessage(e))));
        } catch (JsonProcessingException e) {
            return new ParseOutcome.Malformed("body could not be read: " + describe(e));
        }
    }

    /**
     * The path of the first list the event's record binds ({@code resources}, {@code accounts}, ...) with more than
     * {@link #MAX_LIST_ITEMS} items, or null. Only those: unknown fields are accepted and kept, whatever they hold.
     */
    private static String longList(ObjectNode object, EventType type) {
        for (String field : BOUND_LISTS.get(type)) {
            JsonNode value = object.get(field);
            if (value != null && value.isArray() && value.size() > MAX_LIST_ITEMS) {
                return "$." + field;
            }
        }
        return null;
    }

    /** Each documented type's list fields, by their JSON names. */
    private static final Map<EventType, List<String>> BOUND_LISTS = boundLists();

    private static Map<EventType, List<String>> boundLists() {
        var snakeCase = new PropertyNamingStrategies.SnakeCaseStrategy();
        Map<EventType, List<String>> lists = new EnumMap<>(EventType.class);
        for (EventType type : EventType.values()) {
            lists.put(type, Arrays.stream(type.recordClass().getRecordComponents())
                    .filter(component -> List.class.isAssignableFrom(component.getType()))
                    .map(component -> snakeCase.translate(component.getName())).toList());
        }
        return lists;
    }

    private static boolean isControl(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** A message about the expected JSON kind that does not echo Jackson's Java class names. */
    private static String kindMessage(JsonMappingException e) {
        Class<?> target = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m ? m.getTargetType() : null;
        if (target == null) {
            return "has the wrong JSON type";
        }
        if (target == String.class) {
            return "must be a string";
        }
        if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
            return "must be an integer";
        }
        if (List.class.isAssignableFrom(target)) {
            return "must be an array";
        }
        return "must be an object";
    }

    private static String describe(IOException e) {
        if (e instanceof JsonProcessingException jpe) {
            String message = jpe.getOriginalMessage();
            var location = jpe.getLocation();
            String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            return firstLine(message) + where;
        }
        return firstLine(e.getMessage());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
