package dev.herald.ingest.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Client errors that Quarkus REST detects before Herald's code runs (wrong method, unknown path, body too large
 * while streaming) answer in the same problem+json shape as Herald's own.
 */
class WebApplicationExceptionMapper {

    @ServerExceptionMapper
    Response map(WebApplicationException exception) {
        Response original = exception.getResponse();
        Response.Status status = Response.Status.fromStatusCode(original.getStatus());
        if (status == null || original.getStatus() >= 500) {
            return original;
        }
        String slug = status.getReasonPhrase().toLowerCase().replace(' ', '-');
        return Problem.of(status, slug, status.getReasonPhrase() + ": " + describe(status)).toResponse();
    }

    private static String describe(Response.Status status) {
        return switch (status) {
            case NOT_FOUND -> "webhooks are received at POST /webhooks/uniskai";
            case METHOD_NOT_ALLOWED -> "webhooks must be sent with POST";
            case REQUEST_ENTITY_TOO_LARGE -> "the body is larger than this receiver accepts";
            case UNSUPPORTED_MEDIA_TYPE -> "send the body as application/json";
            default -> "the request cannot be processed as sent";
        };
    }
}
