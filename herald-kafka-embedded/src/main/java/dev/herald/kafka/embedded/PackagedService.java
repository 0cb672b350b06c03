package dev.herald.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The module's packaged service ({@code target/quarkus-app/quarkus-run.jar}, as the package phase leaves it) run as
 * its own process the way a container runs it: configured by environment variables alone, on a free HTTP port, its
 * output in a log file. For tests of the packaged application rather than of Quarkus' test mode.
 */
public final class PackagedService implements AutoCloseable {

    private static final List<String> INHERITED_CONFIG_PREFIXES = List.of("HERALD_", "QUARKUS_", "KAFKA_");

    private final Process process;
    private final int port;
    private final Path log;

    private PackagedService(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the module's jar with {@code environment} as its only Herald, Quarkus and Kafka configuration. */
    public static PackagedService start(Map<String, String> environment) {
        return start(Path.of("target", "quarkus-app", "quarkus-run.jar"), environment);
    }

    /**
     * Starts another module's packaged {@code jar} (for tests of several services together, from a module that
     * builds after them) with {@code environment} as its only Herald, Quarkus and Kafka configuration.
     */
    public static PackagedService start(Path jar, Map<String, String> environment) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the tests with ./mvnw verify");
        }
        int port = freePort();
        try {
            Path log = Files.createTempFile("herald-packaged-service", ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // Nothing of the test JVM's own environment may configure the service behind the test's back.
            builder.environment().keySet().removeIf(name -> INHERITED_CONFIG_PREFIXES.stream().anyMatch(name::startsWith));
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().putAll(environment);
            return new PackagedService(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar, e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Waits until {@code /q/health/ready} answers 200: every readiness check, Kafka's included, is up. */
    public void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the service", e);
            }
            sleep();
        }
        throw new AssertionError("the service was not ready within " + timeout + " (last answer: " + last + "):\n" + log());
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        return ListenPort.free();
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
