package dev.herald.console.access;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Who is asking: a script with {@code Authorization: Bearer <token>}, or a browser with the session cookie the sign-in
 * form set. Anyone else gets a 401; a browser's 401 page leads to the sign-in form.
 */
@ApplicationScoped
public class TokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** The session cookie: HttpOnly, Secure behind TLS, SameSite=Strict (Lax when single sign-on set it). */
    public static final String SESSION_COOKIE = "herald_console_session";
    private static final HttpCredentialTransport TRANSPORT = new HttpCredentialTransport(
            HttpCredentialTransport.Type.OTHER_HEADER, "herald-console", "herald-console");

    private static final String SIGN_IN_PAGE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in · Herald console</title>
            <meta http-equiv="refresh" content="0; url=/sign-in"></head>
            <body><p>Signing in is required: <a href="/sign-in">sign in</a>.</p></body></html>
            """;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String path = context.normalizedPath();
        if (path.equals("/sign-in") || path.startsWith("/q/health")) {
            // Open paths: a stale cookie must not turn the sign-in form itself into a 401.
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return identityProviderManager.authenticate(new ConsoleTokenRequest(authorization.substring(7).trim(), false));
        }
        Cookie session = context.request().getCookie(SESSION_COOKIE);
        if (session != null) {
            return identityProviderManager.authenticate(new ConsoleTokenRequest(session.getValue(), true));
        }
        return Uni.createFrom().optional(java.util.Optional.empty());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"herald-console\""));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        var response = context.response();
        response.setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"herald-console\"");
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        if (accept != null && accept.contains("text/html")) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8");
            return Uni.createFrom().completionStage(response.end(SIGN_IN_PAGE).toCompletionStage()).replaceWith(true);
        }
        return Uni.createFrom().completionStage(response.end().toCompletionStage()).replaceWith(true);
    }

    /** Its name in {@code quarkus.http.auth.permission.*.auth-mechanism}: every path but single sign-on's uses it. */
    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(TRANSPORT);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ConsoleTokenRequest.class);
    }
}
