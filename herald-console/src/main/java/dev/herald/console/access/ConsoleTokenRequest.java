package dev.herald.console.access;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * A console token or a session cookie to check: a request type of its own, so that no other identity provider (the
 * OpenID Connect extension's takes every {@code TokenAuthenticationRequest}) is asked about it, and it is asked about
 * nothing else.
 */
public final class ConsoleTokenRequest extends BaseAuthenticationRequest {

    /** The token, or the session cookie's value. */
    private final String value;
    /** Whether {@link #value} is a session cookie rather than a token. */
    private final boolean session;

    ConsoleTokenRequest(String value, boolean session) {
        this.value = value;
        this.session = session;
    }

    String value() {
        return value;
    }

    boolean session() {
        return session;
    }
}
