package dev.herald.ingest.config;

import java.util.Base64;

/**
 * A Standard Webhooks signing secret: {@code whsec_} followed by the base64 of the HMAC key. Parsed once at start-up
 * so that a malformed secret stops the service instead of failing every request; the value never appears in a
 * message.
 */
public record SigningSecret(byte[] key) {

    public static final String PREFIX = "whsec_";
    public static final String VARIABLE = "HERALD_INGEST_SIGNING_SECRET";

    /** @throws IllegalArgumentException naming the variable (never the value) when the secret is malformed */
    public static SigningSecret parse(String value) {
        String secret = value.trim();
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException(VARIABLE + " must start with " + PREFIX
                    + " followed by the base64 of the key (Standard Webhooks); the value set does not");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + " must be " + PREFIX
                    + " followed by base64 (Standard Webhooks); what follows " + PREFIX + " is not valid base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException(VARIABLE + " holds an empty key after " + PREFIX);
        }
        return new SigningSecret(key);
    }
}
