package dev.herald.console.web;

import dev.herald.console.access.ConsoleTokens;
import dev.herald.console.access.TokenAuthenticationMechanism;
import dev.herald.console.config.ConsoleConfig;
import io.quarkus.oidc.OidcSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Single sign-on, when it is switched on: Quarkus' OpenID Connect extension runs the authorization code flow on this
 * one path (see {@code quarkus.http.auth.permission.sso}); once the identity provider has signed the person in, and
 * their token carries {@code herald.console.oidc-role}, they get the console's own session cookie, as the token
 * sign-in gives. Every other path knows only that cookie and the console tokens.
 */
@Path("/sign-in/oidc")
public class SingleSignOnResource {

    /** Anyone the identity provider signs in for the console's client. */
    static final String ANYONE = "*";
    private static final Logger LOG = Logger.getLogger(SingleSignOnResource.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance refused(String name, String role);
    }

    private final SecurityIdentity identity;
    private final OidcSession oidcSession;
    private final ConsoleTokens tokens;
    private final String role;
    private final boolean secureCookie;

    SingleSignOnResource(SecurityIdentity identity, OidcSession oidcSession, ConsoleTokens tokens, ConsoleConfig config) {
        this.identity = identity;
        this.oidcSession = oidcSession;
        this.tokens = tokens;
        this.role = config.console().oidcRole();
        this.secureCookie = config.console().secureCookie();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response signedIn() {
        String name = identity.getPrincipal().getName();
        // The identity provider's answer has served its purpose: its session cookie goes, so that signing out of the
        // console is not undone by the next visit here (the provider's own session is the provider's to end).
        oidcSession.logout().await().atMost(Duration.ofSeconds(10));
        if (!ANYONE.equals(role) && !identity.hasRole(role)) {
            LOG.warnf("Refused the console to %s: signed in by the identity provider without the role %s", name, role);
            return Response.status(Response.Status.FORBIDDEN).entity(Templates.refused(name, role)).build();
        }
        LOG.infof("%s signed in to the console through the identity provider", name);
        NewCookie session = new NewCookie.Builder(TokenAuthenticationMechanism.SESSION_COOKIE)
                .value(tokens.singleSignOnSession(Instant.now())).path("/").httpOnly(true).secure(secureCookie)
                .sameSite(NewCookie.SameSite.LAX).maxAge((int) tokens.sessionLength().toSeconds()).build();
        return Response.seeOther(URI.create("/")).cookie(session).build();
    }
}
