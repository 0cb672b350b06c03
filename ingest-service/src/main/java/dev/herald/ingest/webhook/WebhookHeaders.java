package dev.herald.ingest.webhook;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The headers a webhook request may carry, for both endpoints. */
public class WebhookHeaders {

    @HeaderParam(HttpHeaders.AUTHORIZATION)
    @Parameter(hidden = true)
    String authorization;

    @HeaderParam(WebhookAuthenticator.WEBHOOK_ID)
    @Parameter(description = "Standard Webhooks message id; also the event id that deduplicates retries")
    String webhookId;

    @HeaderParam(WebhookAuthenticator.WEBHOOK_TIMESTAMP)
    @Parameter(description = "Standard Webhooks timestamp, Unix seconds")
    String webhookTimestamp;

    @HeaderParam(WebhookAuthenticator.WEBHOOK_SIGNATURE)
    @Parameter(description = "Standard Webhooks signatures, space-separated v1,<base64>")
    String webhookSignature;

    @HeaderParam("Idempotency-Key")
    @Parameter(description = "The event id, for senders without webhook-id; retries with the same key are notified once")
    String idempotencyKey;

    @HeaderParam("traceparent")
    @Parameter(hidden = true)
    String traceparent;

    @HeaderParam(HttpHeaders.CONTENT_TYPE)
    @Parameter(hidden = true)
    String contentType;

    WebhookAuthenticator.SignatureHeaders signature() {
        return new WebhookAuthenticator.SignatureHeaders(webhookId, webhookTimestamp, webhookSignature);
    }
}
