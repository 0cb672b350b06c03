package dev.herald.notifier.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.events.ParseOutcome;
import dev.herald.events.UndocumentedEvent;
import dev.herald.events.UniskaiEvent;
import dev.herald.events.WebhookParser;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads an event from a record body. A documented type whose fields have the wrong JSON kinds (the ingest refuses
 * those, but a record may come from elsewhere) is still delivered, through the generic template, rather than lost.
 */
public final class EventReader {

    private final WebhookParser parser = new WebhookParser();
    private final ObjectMapper mapper = new ObjectMapper();

    public Optional<UniskaiEvent> read(byte[] body) {
        ParseOutcome outcome = parser.parse(body);
        if (outcome instanceof ParseOutcome.Parsed parsed) {
            return Optional.of(parsed.event());
        }
        if (outcome instanceof ParseOutcome.Mismatched mismatched) {
            try {
                JsonNode tree = mapper.readTree(body);
                return Optional.of(new UndocumentedEvent(mismatched.type(), (ObjectNode) tree));
            } catch (IOException | ClassCastException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
