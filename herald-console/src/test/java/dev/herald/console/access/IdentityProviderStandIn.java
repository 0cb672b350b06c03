package dev.herald.console.access;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * An OpenID Connect provider that answers like one, for the authorization code flow only: discovery, an authorize
 * endpoint that signs in {@link #signInAs the person the test chose} at once, a token endpoint that checks the
 * client's secret and the code, and RS256-signed ID tokens with their key set. Enough for Quarkus' OIDC extension to
 * run the whole flow against it, with nothing downloaded and no container.
 */
final class IdentityProviderStandIn implements AutoCloseable {

    static final String CLIENT_ID = "herald-console";
    static final String CLIENT_SECRET = "stand-in-client-secret";

    /** The person the authorize endpoint signs in, and the groups their token lists. */
    record Person(String name, List<String> groups) {
    }

    private final HttpServer server;
    private final KeyPair keys;
    private final Map<String, Person> codes = new ConcurrentHashMap<>();
    private volatile Person next = new Person("alice", List.of("herald-operator"));

    IdentityProviderStandIn() throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/jwks", this::keySet);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void signInAs(Person person) {
        next = person;
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String base = url();
        json(exchange, 200, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["RS256"],
                 "token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"]}"""
                .formatted(base));
    }

    /** Signs the chosen person in at once and sends the browser back with a code. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(query.get("client_id")) || query.get("redirect_uri") == null) {
            json(exchange, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, next);
        String location = query.get("redirect_uri") + (query.get("redirect_uri").contains("?") ? "&" : "?") + "code="
                + code + "&state=" + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** Trades a code, once, for tokens; only for the client with its secret. */
    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        boolean client = expected.equals(basic)
                || CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret"));
        Person person = form.get("code") == null ? null : codes.remove(form.get("code"));
        if (!client || person == null || !"authorization_code".equals(form.get("grant_type"))) {
            json(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        long now = Instant.now().getEpochSecond();
        String groups = person.groups().stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(",", "[", "]"));
        String claims = """
                {"iss":"%s","aud":"%s","sub":"%s","preferred_username":"%s","groups":%s,"iat":%d,"exp":%d}"""
                .formatted(url(), CLIENT_ID, person.name(), person.name(), groups, now, now + 300);
        String token = signed(claims);
        json(exchange, 200, """
                {"access_token":"%s","id_token":"%s","token_type":"Bearer","expires_in":300}""".formatted(token, token));
    }

    private void keySet(HttpExchange exchange) throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        json(exchange, 200, """
                {"keys":[{"kty":"RSA","kid":"stand-in","use":"sig","alg":"RS256","n":"%s","e":"%s"}]}"""
                .formatted(unsigned(key.getModulus().toByteArray()), unsigned(key.getPublicExponent().toByteArray())));
    }

    private String signed(String claims) {
        String header = base64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"stand-in\"}".getBytes(StandardCharsets.UTF_8));
        String body = header + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update(body.getBytes(StandardCharsets.US_ASCII));
            return body + "." + base64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A big-endian integer without the sign byte Java adds, base64url-encoded, as JWKs want it. */
    private static String unsigned(byte[] value) {
        int skip = value.length > 1 && value[0] == 0 ? 1 : 0;
        byte[] magnitude = new byte[value.length - skip];
        System.arraycopy(value, skip, magnitude, 0, magnitude.length);
        return base64(magnitude);
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.put(name, value);
        }
        return values;
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
