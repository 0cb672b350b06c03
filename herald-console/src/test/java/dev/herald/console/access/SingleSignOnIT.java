package dev.herald.console.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.console.access.IdentityProviderStandIn.Person;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on switched on, against a stand-in OpenID Connect provider: Quarkus' OIDC extension runs the whole
 * authorization code flow (discovery, redirect, code for tokens, the ID token's signature checked against the key
 * set), and the console then gives the person its own session cookie, or refuses them without the role.
 */
@QuarkusTest
@TestProfile(SingleSignOnIT.SingleSignOnOn.class)
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class SingleSignOnIT {

    /** The console with single sign-on on, pointed at the stand-in. */
    public static class SingleSignOnOn implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StandInResource.class));
        }
    }

    /** Starts the stand-in before the console, and points the console at it. */
    public static class StandInResource implements QuarkusTestResourceLifecycleManager {
        static IdentityProviderStandIn provider;

        @Override
        public Map<String, String> start() {
            try {
                provider = new IdentityProviderStandIn();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", provider.url(),
                    "quarkus.oidc.client-id", IdentityProviderStandIn.CLIENT_ID,
                    "quarkus.oidc.credentials.secret", IdentityProviderStandIn.CLIENT_SECRET);
        }

        @Override
        public void stop() {
            if (provider != null) {
                provider.close();
            }
        }
    }

    /** One hop of a browser's way: where it went and what it got. */
    record Hop(URI uri, int status, String body, List<String> setCookies) {
    }

    @TestHTTPResource("/")
    URL root;

    @Test
    void aPersonWithTheRoleSignsInThroughTheIdentityProviderAndGetsTheConsole() throws Exception {
        StandInResource.provider.signInAs(new Person("alice", List.of("staff", "herald-operator")));
        Browser browser = new Browser();

        assertThat(browser.get(root.toURI().resolve("/sign-in")).body()).contains("id=\"single-sign-on\"");
        List<Hop> hops = browser.follow(root.toURI().resolve("/sign-in/oidc"));

        assertThat(hops).as("the way through the identity provider")
                .anyMatch(hop -> hop.uri().toString().startsWith(StandInResource.provider.url() + "/authorize"));
        Hop last = hops.get(hops.size() - 1);
        assertThat(last.uri().getPath()).isEqualTo("/");
        assertThat(last.status()).isEqualTo(200);
        assertThat(hops).flatExtracting(Hop::setCookies)
                .anySatisfy(cookie -> assertThat(cookie).startsWith(TokenAuthenticationMechanism.SESSION_COOKIE + "=")
                        .containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax"));
        assertThat(browser.get(root.toURI().resolve("/dead-letters")).status()).isEqualTo(200);
        assertThat(browser.oidcSession()).as("the identity provider's session cookie, gone once it served").isNull();
    }

    @Test
    void theIdentityProvidersSessionCookieOpensNothingButTheSingleSignOnPath() throws Exception {
        StandInResource.provider.signInAs(new Person("alice", List.of("herald-operator")));
        Browser browser = new Browser();
        List<Hop> hops = browser.follow(root.toURI().resolve("/sign-in/oidc"));
        String oidcSession = hops.stream().flatMap(hop -> hop.setCookies().stream())
                .filter(cookie -> cookie.startsWith("q_session") && !cookie.matches("q_session[^=]*=;.*"))
                .map(cookie -> cookie.substring(0, cookie.indexOf(';'))).findFirst().orElseThrow();

        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        for (String path : new String[] {"/", "/events", "/dead-letters"}) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(root.toURI().resolve(path))
                    .header("Accept", "text/html").header("Cookie", oidcSession).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void aPersonWithoutTheRoleIsRefusedAndGetsNoSession() throws Exception {
        StandInResource.provider.signInAs(new Person("mallory", List.of("staff")));
        Browser browser = new Browser();

        List<Hop> hops = browser.follow(root.toURI().resolve("/sign-in/oidc"));

        Hop last = hops.get(hops.size() - 1);
        assertThat(last.status()).isEqualTo(403);
        assertThat(last.body()).contains("mallory").contains("herald-operator");
        assertThat(browser.cookie(TokenAuthenticationMechanism.SESSION_COOKIE)).isNull();
        assertThat(browser.oidcSession()).isNull();
        assertThat(browser.get(root.toURI().resolve("/")).status()).isEqualTo(401);
    }

    @Test
    void everyOtherPathStillAnswers401WithoutATokenAndTakesTheConsoleTokens() throws Exception {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(root.toURI().resolve("/events"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> script = client.send(HttpRequest.newBuilder(root.toURI().resolve("/"))
                .header("Accept", "application/json").header("Authorization", "Bearer test-console-token").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
    }

    /** A browser's cookies and redirects, each hop kept. */
    private static final class Browser {
        private final CookieManager cookies = new CookieManager();
        private final HttpClient client = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).build();

        Hop get(URI uri) throws Exception {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Hop(uri, response.statusCode(), response.body(), response.headers().allValues("Set-Cookie"));
        }

        List<Hop> follow(URI start) throws Exception {
            List<Hop> hops = new ArrayList<>();
            URI next = start;
            for (int i = 0; i < 10 && next != null; i++) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(next).header("Accept", "text/html")
                        .build(), HttpResponse.BodyHandlers.ofString());
                hops.add(new Hop(next, response.statusCode(), response.body(), response.headers().allValues("Set-Cookie")));
                URI current = next;
                next = response.statusCode() / 100 == 3
                        ? response.headers().firstValue("Location").map(current::resolve).orElse(null) : null;
            }
            return hops;
        }

        /** The identity provider's session cookie (Quarkus names it q_session), if the browser still has it. */
        HttpCookie oidcSession() {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().startsWith("q_session"))
                    .filter(c -> !c.getValue().isEmpty()).findFirst().orElse(null);
        }

        HttpCookie cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst()
                    .orElse(null);
        }
    }
}
