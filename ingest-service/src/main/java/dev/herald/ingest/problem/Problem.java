package dev.herald.ingest.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.herald.events.Violation;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem detail. {@code violations} lists every field that breaks the documented shape; the other
 * members follow the RFC. Details name the fault, never a secret or a stack trace.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://herald.dev/problems/";

    public static Problem of(Response.Status status, String slug, String detail) {
        return new Problem(TYPE_BASE + slug, status.getReasonPhrase(), status.getStatusCode(), detail, List.of());
    }

    public static Problem invalidEvent(String type, List<Violation> violations) {
        String detail = violations.size() + (violations.size() == 1 ? " field breaks" : " fields break")
                + " the documented shape of \"" + type + "\": "
                + String.join("; ", violations.stream().map(v -> v.path() + " " + v.message()).toList());
        return new Problem(TYPE_BASE + "invalid-event", "Unprocessable Content", 422, detail, violations);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
