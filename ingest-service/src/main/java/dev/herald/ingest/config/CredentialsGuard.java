package dev.herald.ingest.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Outside the dev and test profiles an ingest that accepts no token and no signature would accept nothing at all
 * (or, misconfigured, everything): it refuses to start instead, saying why. In every profile, a signing secret that
 * is not {@code whsec_} + base64 stops the start-up too, rather than failing every signed request later.
 */
@Singleton
class CredentialsGuard {

    void onStart(@Observes StartupEvent event, IngestConfig config) {
        config.ingest().signingSecret().filter(secret -> !secret.isBlank()).ifPresent(secret -> {
            try {
                SigningSecret.parse(secret);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("ingest-service cannot start: " + e.getMessage());
            }
        });
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        boolean hasToken = config.ingest().tokens().map(tokens -> tokens.stream().anyMatch(t -> !t.isBlank())).orElse(false);
        boolean hasSecret = config.ingest().signingSecret().map(s -> !s.isBlank()).orElse(false);
        if (!hasToken && !hasSecret) {
            throw new IllegalStateException("ingest-service needs credentials to check webhooks against: set "
                    + "HERALD_INGEST_TOKENS (comma-separated bearer tokens) or HERALD_INGEST_SIGNING_SECRET "
                    + "(a Standard Webhooks secret, whsec_...), or both");
        }
    }
}
