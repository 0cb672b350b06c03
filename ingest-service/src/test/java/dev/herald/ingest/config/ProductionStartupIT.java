package dev.herald.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged application, started like in production: without credentials it must refuse to run. */
class ProductionStartupIT {

    @Test
    void refusesToStartWithNeitherTokenNorSigningSecret() throws Exception {
        String output = startExpectingExit(Map.of());

        assertThat(output).contains("HERALD_INGEST_TOKENS", "HERALD_INGEST_SIGNING_SECRET");
    }

    @Test
    void refusesToStartWithASigningSecretThatIsNotWhsecBase64NamingTheVariableNotTheValue() throws Exception {
        String output = startExpectingExit(Map.of("HERALD_INGEST_TOKENS", "a-valid-token",
                "HERALD_INGEST_SIGNING_SECRET", "whsec_not-base64!"));

        assertThat(output).contains("HERALD_INGEST_SIGNING_SECRET", "base64").doesNotContain("not-base64!");
    }

    @Test
    void refusesToStartWithASigningSecretWithoutItsPrefix() throws Exception {
        String output = startExpectingExit(Map.of("HERALD_INGEST_SIGNING_SECRET", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));

        assertThat(output).contains("HERALD_INGEST_SIGNING_SECRET", "whsec_").doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    @Test
    void refusesToStartWithABodyLimitLargerThanTheTopicsTake() throws Exception {
        String output = startExpectingExit(Map.of("HERALD_INGEST_TOKENS", "a-valid-token",
                "HERALD_INGEST_MAX_BODY_SIZE", "2M"));

        assertThat(output).contains("HERALD_INGEST_MAX_BODY_SIZE");
    }

    /** Starts the packaged ingest in the prod profile with {@code environment}; it must exit non-zero by itself. */
    private static String startExpectingExit(Map<String, String> environment) throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).exists();
        Path output = Files.createTempFile("ingest-startup", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-Dkafka.bootstrap.servers=127.0.0.1:1", "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HERALD_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(environment);

        Process process = builder.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }

        assertThat(exited).as("the ingest exits by itself").isTrue();
        assertThat(process.exitValue()).isNotZero();
        return read(output);
    }

    private static String read(Path output) throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
