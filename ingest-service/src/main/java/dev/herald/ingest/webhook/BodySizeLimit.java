package dev.herald.ingest.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.events.RecordSizeLimits;
import dev.herald.ingest.config.IngestConfig;
import dev.herald.ingest.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

/**
 * Refuses a body whose declared length is over the limit with 413, before a byte of it is read. A body sent in
 * chunks without a length is cut off by Quarkus' own limit ({@code quarkus.http.limits.max-body-size}, set to the
 * same value) while it streams in. The limit may not exceed {@link RecordSizeLimits#MAX_BODY_BYTES}, what the topics
 * have room for: the service refuses to start otherwise.
 */
@Singleton
class BodySizeLimit {

    private final long maxBytes;
    private final byte[] problem;
    private final IngestMetrics metrics;

    BodySizeLimit(IngestConfig config, ObjectMapper mapper, IngestMetrics metrics) throws Exception {
        this.maxBytes = config.ingest().maxBodySize().asLongValue();
        if (maxBytes > RecordSizeLimits.MAX_BODY_BYTES) {
            // The topics have room for a body of the documented limit, no more: a larger one would be accepted here
            // and refused by Kafka on every retry.
            throw new IllegalStateException("HERALD_INGEST_MAX_BODY_SIZE (herald.ingest.max-body-size) is " + maxBytes
                    + " bytes; Herald's topics take bodies of at most " + RecordSizeLimits.MAX_BODY_BYTES + " bytes");
        }
        this.problem = mapper.writeValueAsBytes(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "body-too-large",
                "the body is larger than the " + maxBytes + " bytes this receiver accepts"));
        this.metrics = metrics;
    }

    void install(@Observes Router router) {
        router.route(WebhookResource.PATH + "*").order(-100).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOver(length)) {
                metrics.count(IngestMetrics.Outcome.TOO_LARGE, null);
                context.response()
                        .setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(Buffer.buffer(problem));
                return;
            }
            context.next();
        });
    }

    private boolean isOver(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
