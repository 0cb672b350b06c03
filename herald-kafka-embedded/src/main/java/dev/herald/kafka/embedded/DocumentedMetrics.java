package dev.herald.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics {@code docs/metrics.md} says a service exports, so that each service's tests can check the documentation
 * against its {@code /q/metrics}.
 */
public final class DocumentedMetrics {

    /** A table row: name, type, labels (possibly empty), services, meaning. */
    private static final Pattern ROW = Pattern.compile("^\\| `(herald_[a-z_]+)` \\| [a-z]+ \\|[^|]*\\|\\s*([a-z, ]+?)\\s*\\|",
            Pattern.MULTILINE);

    private DocumentedMetrics() {
    }

    /** Names documented for {@code service} ({@code ingest}, {@code router}, {@code notifier}). */
    public static List<String> of(String service) {
        Path docs = Path.of("").toAbsolutePath().getParent().resolve("docs").resolve("metrics.md");
        try {
            Matcher row = ROW.matcher(Files.readString(docs));
            List<String> names = new ArrayList<>();
            while (row.find()) {
                if (List.of(row.group(2).split(",\\s*")).contains(service)) {
                    names.add(row.group(1));
                }
            }
            if (names.isEmpty()) {
                throw new IllegalStateException(docs + " documents no metric of " + service);
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + docs, e);
        }
    }

    /** The documented names that do not appear in a Prometheus text exposition. */
    public static List<String> missingFrom(String exposition, String service) {
        return of(service).stream()
                .filter(name -> !Pattern.compile("(?m)^" + name + "(_bucket|_count|_sum|_max)?[{ ]").matcher(exposition).find())
                .toList();
    }
}
