package dev.herald.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares rendered output with a reviewed copy under {@code src/test/resources/snapshots}. A missing snapshot is
 * written and the test fails, so a new one is looked at before it is committed; {@code -Dsnapshots.update=true}
 * rewrites them all after an intended change.
 */
public final class Snapshots {

    private static final Path ROOT = Path.of("src", "test", "resources", "snapshots");

    private Snapshots() {
    }

    public static void assertMatches(String name, String actual) {
        Path file = ROOT.resolve(name);
        try {
            if (Boolean.getBoolean("snapshots.update") || !Files.exists(file)) {
                boolean existed = Files.exists(file);
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                assertThat(existed).as("snapshot %s was missing; it is written now: review and commit it", file).isTrue();
                return;
            }
            assertThat(actual).as("rendering of %s (rerun with -Dsnapshots.update=true after an intended change)", name)
                    .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
