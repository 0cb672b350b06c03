package dev.herald.console.access;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/** Checks a bearer token or a session cookie against {@link ConsoleTokens}. Operators share one role. */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<ConsoleTokenRequest> {

    public static final String OPERATOR = "operator";
    /** A scraper's role: {@code /q/metrics} and nothing else. */
    public static final String METRICS = "metrics";

    private final ConsoleTokens tokens;

    TokenIdentityProvider(ConsoleTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<ConsoleTokenRequest> getRequestType() {
        return ConsoleTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ConsoleTokenRequest request, AuthenticationRequestContext context) {
        String value = request.value();
        boolean accepted = request.session() ? tokens.acceptsSession(value, Instant.now()) : tokens.accepts(value);
        String role = accepted ? OPERATOR : !request.session() && tokens.acceptsForMetrics(value) ? METRICS : null;
        if (role == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not a console token"));
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(role))
                .addRole(role).build());
    }
}
