package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratedManifestsTest {

    @Test
    void committedPerTopicObjectsAreWhatTheGeneratorWrites() throws IOException {
        for (Map.Entry<String, String> file : new ManifestGenerator(Topics.withDefaultPrefix()).files().entrySet()) {
            assertThat(Files.readString(Manifests.ROOT.resolve("k8s").resolve(file.getKey())))
                    .as("k8s/%s is stale: run ManifestGenerator (see its javadoc)", file.getKey())
                    .isEqualTo(file.getValue());
        }
    }
}
