package dev.herald.ingest.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A webhook posted to {@code /webhooks/uniskai/<token>} carries a secret in its path, and the server span records the
 * path ({@code url.path}): the span keeps the route's shape, never the token, before any exporter sees it.
 */
@ApplicationScoped
class PathTokenRedaction implements SpanProcessor {

    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final String TOKEN_PATH = "/webhooks/uniskai/";

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String path = span.getAttribute(URL_PATH);
        if (path != null && path.startsWith(TOKEN_PATH) && path.length() > TOKEN_PATH.length()) {
            span.setAttribute(URL_PATH, TOKEN_PATH + "{token}");
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
