package dev.herald.events;

import java.util.List;

/** What {@link WebhookParser} made of a body. */
public sealed interface ParseOutcome {

    /** A JSON object with a string {@code type}, read into its record (or an {@link UndocumentedEvent}). */
    record Parsed(UniskaiEvent event) implements ParseOutcome {
    }

    /** Not JSON, not an object, or no string {@code type}: nothing Herald can route. */
    record Malformed(String detail) implements ParseOutcome {
    }

    /**
     * A documented type whose fields have the wrong JSON kinds (a number where the documentation says string, ...).
     * Routable by its type, but not a valid event.
     */
    record Mismatched(String type, List<Violation> violations) implements ParseOutcome {
    }
}
