package dev.herald.ingest.config;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Outside the dev and test profiles an ingest that accepts no token and no signature would accept nothing at all
 * (or, misconfigured, everything): it refuses to start instead, saying why.
 */
@Singleton
class CredentialsGuard {

    void onStart(@Observes StartupEvent event, IngestConfig config) {
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
