package dev.herald.console.access;

import dev.herald.console.config.ConsoleConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tokens that open the console ({@code HERALD_CONSOLE_TOKENS}), and the browser sessions they sign. A session
 * cookie is its expiry and an HMAC of it keyed by the token that signed in: it reveals no token, needs no store, and
 * ends when its token is removed. The metrics tokens ({@code HERALD_CONSOLE_METRICS_TOKENS}) open the metrics alone, and
 * never a session. Every comparison is in constant time; no token is ever logged.
 */
@Startup
@Singleton
public class ConsoleTokens {

    private final List<byte[]> tokens;
    private final List<byte[]> metricsTokens;
    private final Duration sessionLength;

    @Inject
    ConsoleTokens(ConsoleConfig config) {
        this(config.console().tokens().orElse(List.of()), config.console().metricsTokens().orElse(List.of()),
                config.console().sessionLength(), LaunchMode.current());
    }

    ConsoleTokens(List<String> tokens, Duration sessionLength, LaunchMode mode) {
        this(tokens, List.of(), sessionLength, mode);
    }

    ConsoleTokens(List<String> tokens, List<String> metricsTokens, Duration sessionLength, LaunchMode mode) {
        this.tokens = bytes(tokens);
        this.metricsTokens = bytes(metricsTokens);
        if (metricsTokens.stream().map(String::trim).anyMatch(t -> !t.isEmpty() && tokens.stream().map(String::trim)
                .anyMatch(t::equals))) {
            // An earlier setup had Prometheus' token among the console tokens: left there, it would still open everything.
            throw new IllegalStateException("a token is both in HERALD_CONSOLE_TOKENS and in HERALD_CONSOLE_METRICS_TOKENS:"
                    + " a metrics token must open the metrics alone; remove it from HERALD_CONSOLE_TOKENS");
        }
        this.sessionLength = sessionLength;
        if (this.tokens.isEmpty() && mode == LaunchMode.NORMAL) {
            throw new IllegalStateException("herald-console shows people's names and email addresses and can replay "
                    + "deliveries, so it opens only with a token: set HERALD_CONSOLE_TOKENS (comma-separated)");
        }
    }

    /** Whether {@code candidate} is one of the tokens; every token is compared, whatever matches first. */
    public boolean accepts(String candidate) {
        return oneOf(tokens, candidate);
    }

    /** Whether {@code candidate} is one of the metrics tokens, which open {@code /q/metrics} alone. */
    public boolean acceptsForMetrics(String candidate) {
        return oneOf(metricsTokens, candidate);
    }

    private static boolean oneOf(List<byte[]> tokens, String candidate) {
        if (candidate == null) {
            return false;
        }
        byte[] given = sha256(candidate.getBytes(StandardCharsets.UTF_8));
        boolean accepted = false;
        for (byte[] token : tokens) {
            accepted |= MessageDigest.isEqual(given, sha256(token));
        }
        return accepted;
    }

    private static List<byte[]> bytes(List<String> tokens) {
        return tokens.stream().map(String::trim).filter(t -> !t.isEmpty()).map(t -> t.getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    /** A session cookie value for a browser that signed in with {@code token}. */
    public String session(String token, Instant now) {
        long expiry = now.plus(sessionLength).getEpochSecond();
        return expiry + "." + signature(token.getBytes(StandardCharsets.UTF_8), expiry);
    }

    /**
     * A session cookie value for a person the identity provider signed in (single sign-on): signed with the first
     * token, so it ends, like the others, when that token is removed.
     */
    public String singleSignOnSession(Instant now) {
        if (tokens.isEmpty()) {
            throw new IllegalStateException("no console token to sign a session with: set HERALD_CONSOLE_TOKENS");
        }
        long expiry = now.plus(sessionLength).getEpochSecond();
        return expiry + "." + signature(tokens.get(0), expiry);
    }

    /** Whether a session cookie is unexpired and signed by one of the tokens. */
    public boolean acceptsSession(String cookie, Instant now) {
        if (cookie == null) {
            return false;
        }
        int dot = cookie.indexOf('.');
        long expiry;
        try {
            expiry = Long.parseLong(cookie.substring(0, Math.max(dot, 0)));
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] given = cookie.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        boolean accepted = false;
        for (byte[] token : tokens) {
            accepted |= MessageDigest.isEqual(given, signature(token, expiry).getBytes(StandardCharsets.US_ASCII));
        }
        return accepted && expiry > now.getEpochSecond();
    }

    public Duration sessionLength() {
        return sessionLength;
    }

    private static String signature(byte[] token, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(token, "HmacSHA256"));
            byte[] signed = mac.doFinal(("herald-console-session:" + expiry).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(signed);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
