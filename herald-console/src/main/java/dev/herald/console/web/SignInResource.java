package dev.herald.console.web;

import dev.herald.console.access.ConsoleTokens;
import dev.herald.console.access.TokenAuthenticationMechanism;
import dev.herald.console.config.ConsoleConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The browsers' way in and out: a form that takes a console token and sets the session cookie, and its removal. */
@Path("/")
public class SignInResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String problem, boolean singleSignOn);
    }

    private final ConsoleTokens tokens;
    private final boolean secureCookie;
    private final boolean singleSignOn;

    SignInResource(ConsoleTokens tokens, ConsoleConfig config,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean singleSignOn) {
        this.tokens = tokens;
        this.secureCookie = config.console().secureCookie();
        this.singleSignOn = singleSignOn;
    }

    @GET
    @Path("sign-in")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form() {
        return Templates.signIn(null, singleSignOn);
    }

    @POST
    @Path("sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@FormParam("token") String token) {
        if (!tokens.accepts(token)) {
            return Response.status(Response.Status.UNAUTHORIZED).entity(Templates.signIn("That is not a console token.", singleSignOn)).build();
        }
        NewCookie session = new NewCookie.Builder(TokenAuthenticationMechanism.SESSION_COOKIE)
                .value(tokens.session(token, Instant.now())).path("/").httpOnly(true).secure(secureCookie)
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) tokens.sessionLength().toSeconds()).build();
        return Response.seeOther(URI.create("/")).cookie(session).build();
    }

    @POST
    @Path("sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signOut() {
        NewCookie expired = new NewCookie.Builder(TokenAuthenticationMechanism.SESSION_COOKIE).value("").path("/")
                .httpOnly(true).secure(secureCookie).sameSite(NewCookie.SameSite.STRICT).maxAge(0).build();
        return Response.seeOther(URI.create("/sign-in")).cookie(expired).build();
    }
}
