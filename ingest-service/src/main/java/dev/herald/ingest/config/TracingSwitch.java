package dev.herald.ingest.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Outside tests the ingest's OpenTelemetry SDK is off by default ({@code quarkus.otel.sdk.disabled=true}): the
 * server span it records per request, exporter or not, cost more than anything else under load. Someone who sets an
 * OTLP endpoint but not {@code QUARKUS_OTEL_SDK_DISABLED=false} wants spans and would silently get
 * none from the ingest: the start-up says so.
 */
@Singleton
class TracingSwitch {

    private static final Logger LOG = Logger.getLogger(TracingSwitch.class);

    void onStart(@Observes StartupEvent event, Config config) {
        warning(config.getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class).orElse(false),
                config.getOptionalValue("quarkus.otel.exporter.otlp.traces.endpoint", String.class)
                        .or(() -> config.getOptionalValue("quarkus.otel.exporter.otlp.endpoint", String.class)))
                .ifPresent(LOG::warn);
    }

    /**
     * Quarkus gives the OTLP endpoint a default (a collector on localhost) whether or not anyone asked for tracing:
     * only another endpoint says that someone did.
     */
    static final String DEFAULT_ENDPOINT = "http://localhost:4317";

    /** What to warn about, if an OTLP endpoint is set but the SDK is switched off. */
    static Optional<String> warning(boolean sdkDisabled, Optional<String> otlpEndpoint) {
        boolean asked = otlpEndpoint.map(String::strip).map(e -> e.endsWith("/") ? e.substring(0, e.length() - 1) : e)
                .filter(e -> !e.isEmpty() && !e.equals(DEFAULT_ENDPOINT)).isPresent();
        if (!sdkDisabled || !asked) {
            return Optional.empty();
        }
        return Optional.of("An OTLP endpoint is configured (QUARKUS_OTEL_EXPORTER_OTLP_*ENDPOINT) but the OpenTelemetry "
                + "SDK is off, as by default: the ingest records and exports no spans (records still carry the "
                + "sender's trace in traceparent). Set QUARKUS_OTEL_SDK_DISABLED=false to record them.");
    }
}
