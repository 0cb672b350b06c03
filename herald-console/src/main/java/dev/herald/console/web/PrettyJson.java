package dev.herald.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** A body indented for reading; as it came when it is not JSON. The template escapes it either way. */
final class PrettyJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PrettyJson() {
    }

    static String of(String body) {
        if (body == null) {
            return null;
        }
        try {
            JsonNode json = MAPPER.readTree(body);
            return json == null ? body : MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (IOException e) {
            return body;
        }
    }
}
