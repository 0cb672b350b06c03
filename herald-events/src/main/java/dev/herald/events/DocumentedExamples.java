package dev.herald.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The example payloads of Uniskai's webhook documentation, byte for byte, one per documented type.
 * Shipped with the contract so that every module's tests and the local demo post exactly what the vendor shows.
 */
public final class DocumentedExamples {

    private DocumentedExamples() {
    }

    public static byte[] of(EventType type) {
        String resource = "examples/" + type.typeName() + ".json";
        try (InputStream in = DocumentedExamples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no documented example " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
