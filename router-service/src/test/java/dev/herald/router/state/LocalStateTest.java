package dev.herald.router.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStateTest {

    @TempDir
    Path stateDir;

    private LocalState local() {
        return new LocalState(stateDir, "herald-router");
    }

    @Test
    void stateOfTheSameClusterIsKept() throws IOException {
        local().bindTo("cluster-a");
        Path store = storeFile();

        assertThat(local().bindTo("cluster-a")).isEqualTo(new LocalState.Binding.Kept());
        assertThat(store).exists();
    }

    @Test
    void stateOfAnotherClusterIsWipedAndTheNewClusterRecorded() throws IOException {
        local().bindTo("cluster-a");
        Path store = storeFile();

        assertThat(local().bindTo("cluster-b")).isEqualTo(new LocalState.Binding.Wiped(Optional.of("cluster-a")));
        assertThat(store).doesNotExist();
        assertThat(local().applicationDir()).doesNotExist();
        assertThat(local().bindTo("cluster-b")).isEqualTo(new LocalState.Binding.Kept());
    }

    @Test
    void stateThatNoClusterWasRecordedForIsWiped() throws IOException {
        Path store = storeFile();

        assertThat(local().bindTo("cluster-a")).isEqualTo(new LocalState.Binding.Wiped(Optional.empty()));
        assertThat(store).doesNotExist();
    }

    @Test
    void withoutStateTheClusterIsOnlyRecorded() throws IOException {
        assertThat(local().bindTo("cluster-a")).isEqualTo(new LocalState.Binding.Fresh());
        assertThat(Files.readString(local().marker())).isEqualTo("cluster-a\n");
        assertThat(local().bindTo("cluster-b")).as("no state to wipe").isEqualTo(new LocalState.Binding.Fresh());
    }

    /** A file where Kafka Streams keeps a task's store. */
    private Path storeFile() throws IOException {
        Path store = local().applicationDir().resolve("0_0").resolve("rocksdb").resolve("herald-seen-event-ids").resolve("000001.sst");
        Files.createDirectories(store.getParent());
        Files.writeString(store, "stale");
        return store;
    }
}
