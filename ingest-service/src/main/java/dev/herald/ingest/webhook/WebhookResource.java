package dev.herald.ingest.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.herald.events.EventLogContext;
import dev.herald.events.ParseOutcome;
import dev.herald.events.UniskaiEvent;
import dev.herald.events.Violation;
import dev.herald.events.WebhookParser;
import dev.herald.ingest.config.IngestConfig;
import dev.herald.ingest.problem.Problem;
import dev.herald.ingest.publish.PublishQueueFull;
import dev.herald.ingest.publish.RawWebhookPublisher;
import dev.herald.ingest.publish.ReceivedWebhook;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Validator;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/uniskai}: authenticates a Uniskai webhook, checks it against the documented shapes, and
 * answers 202 only once Kafka holds the body, byte for byte, on the raw topic.
 */
@Path(WebhookResource.PATH)
@Tag(name = "webhooks")
public class WebhookResource {

    static final String PATH = "/webhooks/uniskai";
    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    private final WebhookAuthenticator authenticator;
    private final WebhookParser parser = new WebhookParser();
    private final Validator validator;
    private final RawWebhookPublisher publisher;
    private final IngestMetrics metrics;
    private final int retryAfterSeconds;
    private final ObjectWriter acceptedWriter;

    WebhookResource(WebhookAuthenticator authenticator, Validator validator, RawWebhookPublisher publisher,
            IngestMetrics metrics, IngestConfig config, ObjectMapper mapper) {
        this.acceptedWriter = mapper.writerFor(Accepted.class);
        this.authenticator = authenticator;
        this.validator = validator;
        this.publisher = publisher;
        this.metrics = metrics;
        this.retryAfterSeconds = config.ingest().retryAfterSeconds();
    }

    /** What a 202 answers: the event id (to correlate and retry with) and its type. */
    public record Accepted(String id, String type) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Receive a Uniskai webhook",
            description = "Accepts one Uniskai event as a JSON object. Answers 202 only after Kafka has acknowledged "
                    + "the record; the same webhook-id or Idempotency-Key within 24 hours is accepted again but "
                    + "notified once.")
    @SecurityRequirement(name = OpenApiDocumentation.BEARER)
    @SecurityRequirement(name = OpenApiDocumentation.SIGNATURE)
    public Uni<Response> receive(@BeanParam WebhookHeaders headers, byte[] body) {
        return handle(headers.authorization, null, headers, body);
    }

    @POST
    @Path("/{token}")
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @SecurityRequirement(name = OpenApiDocumentation.SIGNATURE)
    @Operation(summary = "Receive a Uniskai webhook, authenticated by a token in the URL",
            description = "For senders that can only be given a URL. Same behaviour as POST /webhooks/uniskai; "
                    + "prefer the Authorization header where the sender allows it, since URLs end up in logs.")
    public Uni<Response> receiveWithPathToken(
            @PathParam("token") @Parameter(description = "one of the ingest's tokens") String token,
            @BeanParam WebhookHeaders headers, byte[] body) {
        return handle(null, token, headers, body);
    }

    private Uni<Response> handle(String authorization, String pathToken, WebhookHeaders headers, byte[] body) {
        return handle(new Request(authorization, pathToken, headers.signature(), headers.idempotencyKey,
                headers.traceparent, headers.contentType, body == null ? new byte[0] : body));
    }

    private record Request(String authorization, String pathToken, WebhookAuthenticator.SignatureHeaders signature,
            String idempotencyKey, String traceparent, String contentType, byte[] body) {
    }

    private Uni<Response> handle(Request request) {
        Authentication authentication = authenticator.authenticate(
                request.authorization(), request.pathToken(), request.signature(), request.body());
        if (authentication instanceof Authentication.Refused refused) {
            metrics.count(IngestMetrics.Outcome.UNAUTHORIZED, null);
            return reply(Response.fromResponse(
                    Problem.of(Response.Status.UNAUTHORIZED, "unauthorized", refused.reason()).toResponse())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"herald\"").build());
        }
        if (!isJson(request.contentType())) {
            metrics.count(IngestMetrics.Outcome.UNSUPPORTED_MEDIA_TYPE, null);
            return reply(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Content-Type must be application/json, got " + describe(request.contentType())).toResponse());
        }
        ParseOutcome outcome = parser.parse(request.body());
        if (outcome instanceof ParseOutcome.Malformed malformed) {
            metrics.count(IngestMetrics.Outcome.MALFORMED, null);
            return reply(Problem.of(Response.Status.BAD_REQUEST, "malformed-body", malformed.detail()).toResponse());
        }
        if (outcome instanceof ParseOutcome.Mismatched mismatched) {
            metrics.count(IngestMetrics.Outcome.INVALID, mismatched.type());
            return reply(Problem.invalidEvent(mismatched.type(), mismatched.violations()).toResponse());
        }
        UniskaiEvent event = ((ParseOutcome.Parsed) outcome).event();
        List<Violation> violations = Violation.of(validator.validate(event));
        if (!violations.isEmpty()) {
            metrics.count(IngestMetrics.Outcome.INVALID, event.type());
            return reply(Problem.invalidEvent(event.type(), violations).toResponse());
        }
        EventId id;
        try {
            id = EventId.fromHeaders(request.signature().id(), request.idempotencyKey()).orElseGet(EventId::generated);
        } catch (IllegalArgumentException e) {
            metrics.count(IngestMetrics.Outcome.BAD_EVENT_ID, event.type());
            return reply(Problem.of(Response.Status.BAD_REQUEST, "bad-event-id", e.getMessage()).toResponse());
        }
        return publish(event, id, request);
    }

    private Uni<Response> publish(UniskaiEvent event, EventId id, Request request) {
        String bodySha256 = sha256Hex(request.body());
        ReceivedWebhook webhook = new ReceivedWebhook(id.value(), id.source(), event.type(),
                RecordKey.of(event.accountIds(), id, bodySha256), Instant.now(),
                traceparent(request.traceparent()), bodySha256, request.body());
        long started = System.nanoTime();
        // The publisher bounds the wait by the publish timeout itself, so a send it has not made yet is skipped.
        CompletableFuture<RecordMetadata> acknowledged = publisher.publish(webhook);
        // The client gone: the send is skipped if not made yet. Cancelling the future fails it, and that failure is
        // the abandonment, not Kafka's: refused() leaves it to this count. Then one operator for every outcome, not
        // one per case: each Mutiny operator captures and restores the context on every request (it showed in JFR).
        return Uni.createFrom().completionStage(acknowledged)
                .onCancellation().invoke(() -> {
                    acknowledged.cancel(false);
                    metrics.count(IngestMetrics.Outcome.ABANDONED, event.type());
                })
                .onItemOrFailure().transform((metadata, error) -> error == null
                        ? accepted(event, id, System.nanoTime() - started)
                        : refused(event, id, webhook, error));
    }

    private Response accepted(UniskaiEvent event, EventId id, long publishNanos) {
        metrics.recordPublish(Duration.ofNanos(publishNanos));
        metrics.count(IngestMetrics.Outcome.ACCEPTED, event.type());
        // Serialized here rather than by the JAX-RS writer lookup per response (which showed in the profile).
        return Response.accepted(acceptedJson(id.value(), event.type())).type(MediaType.APPLICATION_JSON).build();
    }

    private byte[] acceptedJson(String id, String type) {
        try {
            return acceptedWriter.writeValueAsBytes(new Accepted(id, type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the 202's body", e);
        }
    }

    private Response refused(UniskaiEvent event, EventId id, ReceivedWebhook webhook, Throwable error) {
        if (error instanceof RecordTooLargeException) {
            // Cannot happen for a body within the limit (RecordSizeLimits); if it does, retrying cannot help.
            metrics.count(IngestMetrics.Outcome.TOO_LARGE, event.type());
            LOG.errorf("Kafka refused event %s (%s) as too large: %s", id.value(), event.type(), error.getMessage());
            return Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                    "the event is larger than Kafka accepts; it was not stored").toResponse();
        }
        if (error instanceof java.util.concurrent.CancellationException) {
            // Abandoned by the client (counted as such); nobody reads this answer.
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
        }
        metrics.count(IngestMetrics.Outcome.UNAVAILABLE, event.type());
        try (var context = EventLogContext.of(id.value(), event.type(), webhook.traceparent())) {
            LOG.warnf("Kafka did not acknowledge event %s (%s): %s", id.value(), event.type(),
                    error instanceof PublishQueueFull ? error.getMessage() : error.getClass().getSimpleName());
        }
        return Response.fromResponse(Problem.of(Response.Status.SERVICE_UNAVAILABLE, "kafka-unavailable",
                        "Kafka did not acknowledge the event; retry after " + retryAfterSeconds
                                + " s with the same body (and webhook-id or Idempotency-Key, if any):"
                                + " if the first attempt was stored after all, the retry is dropped").toResponse())
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .build();
    }

    /**
     * The record's traceparent: the request's own span (a child of the sender's trace when it sent one), so the
     * router's and the notifier's spans join the trace that started here; without tracing, a child made by hand.
     */
    private static String traceparent(String incoming) {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
        }
        return TraceParent.childOf(incoming);
    }

    private static Uni<Response> reply(Response response) {
        return Uni.createFrom().item(response);
    }

    /** {@code application/json} or any {@code application/*+json}, with or without parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        if (contentType.equalsIgnoreCase(MediaType.APPLICATION_JSON)) {
            return true; // what nearly every sender sends, without parsing it
        }
        try {
            MediaType type = MediaType.valueOf(contentType);
            return "application".equalsIgnoreCase(type.getType())
                    && ("json".equalsIgnoreCase(type.getSubtype()) || type.getSubtype().toLowerCase().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(String contentType) {
        if (contentType == null) {
            return "no Content-Type";
        }
        String printable = contentType.replaceAll("[^\\x20-\\x7e]", "?");
        return "\"" + (printable.length() > 100 ? printable.substring(0, 100) + "…" : printable) + "\"";
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
