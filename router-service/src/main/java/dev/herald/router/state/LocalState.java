package dev.herald.router.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Kafka Streams' local state of one application ({@code <state.dir>/<application.id>}: the deduplication stores'
 * RocksDB files, checkpoints, the process id) and the id of the Kafka cluster it was built from, kept beside it in
 * {@code <state.dir>/<application.id>.cluster-id}. State built from another cluster's changelogs and offsets is not a
 * cache of this cluster's: Streams may keep parts of it, and a deduplication store that remembers events the cluster
 * never saw drops new ones as copies.
 */
record LocalState(Path stateDir, String applicationId) {

    /** What {@link #bindTo} did. */
    sealed interface Binding {

        /** The state was built from this cluster: kept. */
        record Kept() implements Binding {
        }

        /** There was no state: nothing to check, the cluster is recorded. */
        record Fresh() implements Binding {
        }

        /** The state was built from another cluster, or from one nobody recorded: wiped, to be restored from this one. */
        record Wiped(Optional<String> formerClusterId) implements Binding {
        }
    }

    Path applicationDir() {
        return stateDir.resolve(applicationId);
    }

    Path marker() {
        return stateDir.resolve(applicationId + ".cluster-id");
    }

    /** Keeps the state if it was built from {@code clusterId}, wipes it otherwise; then records {@code clusterId}. */
    Binding bindTo(String clusterId) throws IOException {
        Optional<String> recorded = Files.exists(marker())
                ? Optional.of(Files.readString(marker(), StandardCharsets.UTF_8).strip())
                : Optional.empty();
        Binding binding;
        if (recorded.filter(clusterId::equals).isPresent()) {
            binding = new Binding.Kept();
        } else if (isEmpty(applicationDir())) {
            binding = new Binding.Fresh();
        } else {
            wipe(applicationDir());
            binding = new Binding.Wiped(recorded);
        }
        record(clusterId);
        return binding;
    }

    private void record(String clusterId) throws IOException {
        Files.createDirectories(stateDir);
        Path written = Files.createTempFile(stateDir, applicationId, ".cluster-id.tmp");
        Files.writeString(written, clusterId + "\n", StandardCharsets.UTF_8);
        Files.move(written, marker(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void wipe(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
