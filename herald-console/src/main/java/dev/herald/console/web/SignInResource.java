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

/** The browsers' way in and out: a form that takes a console token and sets the session cookie, and its removal. */
@Path("/")
public class SignInResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String problem);
    }

    private final ConsoleTokens tokens;
    private final boolean secureCookie;

    SignInResource(ConsoleTokens tokens, ConsoleConfig config) {
        this.tokens = tokens;
        this.secureCookie = config.console().secureCookie();
    }

    @GET
    @Path("sign-in")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form() {
        return Templates.signIn(null);
    }

    @POST
    @Path("sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@FormParam("token") String token) {
        if (!tokens.accepts(token)) {
            return Response.status(Response.Status.UNAUTHORIZED).entity(Templates.signIn("That is not a console token.")).build();
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
