package dev.herald.ingest.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * In production the ingest's OpenTelemetry SDK is off by default ({@code quarkus.otel.sdk.disabled=true}): the
 * server span it records per request, exporter or not, cost more than anything else under load. Someone who sets an
 * exporter or an OTLP endpoint but not {@code QUARKUS_OTEL_SDK_DISABLED=false} wants spans and would silently get
 * none from the ingest: the start-up says so.
 */
@Singleton
class TracingSwitch {

    private static final Logger LOG = Logger.getLogger(TracingSwitch.class);

    void onStart(@Observes StartupEvent event, Config config) {
        warning(config.getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class).orElse(false),
                config.getOptionalValue("quarkus.otel.traces.exporter", String.class).orElse("cdi"),
                config.getOptionalValue("quarkus.otel.exporter.otlp.traces.endpoint", String.class)
                        .or(() -> config.getOptionalValue("quarkus.otel.exporter.otlp.endpoint", String.class)))
                .ifPresent(LOG::warn);
    }

    /** What to warn about, if tracing is asked for (an exporter other than none, or an endpoint) but switched off. */
    static Optional<String> warning(boolean sdkDisabled, String exporter, Optional<String> otlpEndpoint) {
        boolean asked = !"none".equalsIgnoreCase(exporter.trim()) || otlpEndpoint.filter(e -> !e.isBlank()).isPresent();
        if (!sdkDisabled || !asked) {
            return Optional.empty();
        }
        return Optional.of("Tracing is configured (QUARKUS_OTEL_TRACES_EXPORTER / QUARKUS_OTEL_EXPORTER_OTLP_*) but the "
                + "OpenTelemetry SDK is off, as by default in production: the ingest records no spans (records still "
                + "carry the sender's trace in traceparent). Set QUARKUS_OTEL_SDK_DISABLED=false to record them.");
    }
}
