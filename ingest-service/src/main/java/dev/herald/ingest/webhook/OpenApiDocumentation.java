package dev.herald.ingest.webhook;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes {@code /q/openapi} for the webhook endpoints: the authentication schemes, the eight documented
 * examples as request examples (read from the event contract, so they cannot drift), and every response with an
 * example. Registered through {@code mp.openapi.filter}.
 */
public class OpenApiDocumentation implements OASFilter {

    static final String BEARER = "bearer";
    static final String SIGNATURE = "standard-webhooks-signature";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        openAPI.getInfo()
                .title("Herald ingest")
                .description("Receives Uniskai webhooks and publishes them to Kafka.");
        if (openAPI.getComponents() == null) {
            openAPI.components(OASFactory.createComponents());
        }
        openAPI.getComponents()
                .addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("One of the tokens in HERALD_INGEST_TOKENS. Senders that can only be given a "
                                + "URL post to /webhooks/uniskai/{token} instead."))
                .addSecurityScheme(SIGNATURE, OASFactory.createSecurityScheme()
                        .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("webhook-signature")
                        .description("Standard Webhooks: webhook-id, webhook-timestamp (Unix seconds, within 5 "
                                + "minutes) and webhook-signature (space-separated v1,<base64 HMAC-SHA256 of "
                                + "id.timestamp.body>), verified with HERALD_INGEST_SIGNING_SECRET."));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith(WebhookResource.PATH) && item.getOperations().containsKey(PathItem.HttpMethod.POST)) {
                document(item.getOperations().get(PathItem.HttpMethod.POST));
            }
        });
    }

    private static void document(Operation operation) {
        Map<String, Example> examples = new LinkedHashMap<>();
        for (EventType type : EventType.values()) {
            examples.put(type.typeName(), OASFactory.createExample()
                    .summary("documented example of " + type.typeName())
                    .value(new String(DocumentedExamples.of(type), StandardCharsets.UTF_8)));
        }
        operation.requestBody(OASFactory.createRequestBody()
                .required(true)
                .description("One Uniskai event: a JSON object with a string \"type\", at most 1 MiB by default. "
                        + "Unknown fields and undocumented types are accepted.")
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().type(List.of(
                                        Schema.SchemaType.OBJECT)))
                                .examples(examples))));

        APIResponses responses = OASFactory.createAPIResponses();
        responses.addAPIResponse("202", response("Kafka has the event", "application/json",
                "{\"id\":\"0193a6f0-7c1e-7d2a-9b1e-3f4c5d6e7f80\",\"type\":\"spot-recreated\"}"));
        responses.addAPIResponse("400", problem("Not JSON, not an object, no string type, or a bad event id",
                400, "Bad Request", "malformed-body", "$.type is missing; every Uniskai event has a string \\\"type\\\""));
        responses.addAPIResponse("401", problem("No credentials, a wrong token, or a signature that does not verify",
                401, "Unauthorized", "unauthorized", "the bearer token is not accepted"));
        responses.addAPIResponse("413", problem("Body over the limit", 413, "Request Entity Too Large",
                "body-too-large", "the body is larger than the 1048576 bytes this receiver accepts"));
        responses.addAPIResponse("415", problem("Content-Type is not JSON", 415, "Unsupported Media Type",
                "unsupported-media-type", "Content-Type must be application/json, got \\\"text/plain\\\""));
        responses.addAPIResponse("422", OASFactory.createAPIResponse()
                .description("A documented type whose fields break the documented shape; every violation is listed")
                .content(content("application/problem+json", """
                        {"type":"https://herald.dev/problems/invalid-event","title":"Unprocessable Content","status":422,\
                        "detail":"2 fields break the documented shape of \\"cloudsitter-policy-failed\\": \
                        $.failed_action must be \\"on\\" or \\"off\\"; $.resources[0].region must not be blank",\
                        "violations":[{"path":"$.failed_action","message":"must be \\"on\\" or \\"off\\""},\
                        {"path":"$.resources[0].region","message":"must not be blank"}]}""")));
        APIResponse unavailable = problem("Kafka did not take the event in time; retry after Retry-After seconds",
                503, "Service Unavailable", "kafka-unavailable",
                "the event could not be stored; retry after 5 s with the same webhook-id or Idempotency-Key");
        unavailable.addHeader("Retry-After", OASFactory.createHeader().description("seconds to wait")
                .schema(OASFactory.createSchema().type(List.of(
                        Schema.SchemaType.INTEGER))));
        responses.addAPIResponse("503", unavailable);
        operation.responses(responses);
    }

    private static APIResponse problem(String description, int status, String title, String slug, String detail) {
        return response(description, "application/problem+json",
                "{\"type\":\"https://herald.dev/problems/" + slug + "\",\"title\":\"" + title + "\",\"status\":"
                        + status + ",\"detail\":\"" + detail + "\"}");
    }

    private static APIResponse response(String description, String mediaType, String example) {
        return OASFactory.createAPIResponse().description(description).content(content(mediaType, example));
    }

    private static Content content(String mediaType, String example) {
        return OASFactory.createContent().addMediaType(mediaType, OASFactory.createMediaType().example(example));
    }
}
