package dev.herald.console.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged console, started like in production: without a token it must refuse to run, saying why. */
class ProductionStartupIT {

    @Test
    void refusesToStartWithoutAConsoleToken() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertThat(jar).exists();
        Path output = Files.createTempFile("console-startup", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-Dkafka.bootstrap.servers=127.0.0.1:1",
                "-Dherald.console.index-dir=" + Files.createTempDirectory("console-index"), "-jar", jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HERALD_") || name.startsWith("QUARKUS_")
                || name.startsWith("KAFKA_"));

        Process process = builder.start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }

        assertThat(exited).as("the console exits by itself").isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(Files.readString(output, StandardCharsets.UTF_8)).contains("HERALD_CONSOLE_TOKENS");
    }
}
