package dev.herald.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An event whose type Uniskai has not documented (yet). It is accepted and delivered through a generic route,
 * never dropped; the body is carried as a JSON tree. A top-level string {@code account_id}, if present, is used
 * for routing like a documented type's.
 */
public record UndocumentedEvent(String type, ObjectNode body) implements UniskaiEvent {

    @Override
    public List<String> accountIds() {
        JsonNode accountId = body.get("account_id");
        return accountId != null && accountId.isTextual() ? List.of(accountId.asText()) : List.of();
    }
}
