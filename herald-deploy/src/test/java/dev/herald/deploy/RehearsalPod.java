package dev.herald.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rendered Deployment run as a local process of its packaged jar, the way a kubelet would start its pod: exactly
 * the container's {@code env} (values, {@code valueFrom} ConfigMap and Secret keys, field references), its
 * {@code envFrom} ConfigMaps and Secrets, its args, and its ConfigMap, Secret and emptyDir volumes as files at their
 * mount paths under a root directory of its own.
 *
 * <p>What differs from a pod, and why: there is no filesystem namespace, so environment values naming a path inside a
 * volume are prefixed with the root (and the JVM's tmpdir is the {@code /tmp} volume); there is no network
 * namespace, so every named container port gets a free local port ({@code QUARKUS_HTTP_PORT} for the {@code http}
 * one — after checking that the pod does not set that variable itself and that the port the jar listens on by
 * default is the {@code containerPort}, so the remapping hides no mismatch); the memory and CPU limits become {@code -XX:MaxRAM} and {@code -XX:ActiveProcessorCount}, which is what the
 * JVM reads from a container's cgroup, with the heap share and collector the image's {@code run-java.sh} sets;
 * {@code -XX:TieredStopAtLevel=1} shortens start-up on a small build machine.
 */
final class RehearsalPod implements AutoCloseable {

    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final JsonNode deployment;
    private final Path root;
    private final Map<String, Integer> ports;
    private final Map<String, String> environment;
    private final Process process;
    private final Path log;
    private final java.time.Instant started = java.time.Instant.now();
    private volatile long terminatedAt;

    private RehearsalPod(String name, JsonNode deployment, Path root, Map<String, Integer> ports,
            Map<String, String> environment, Process process, Path log) {
        this.name = name;
        this.deployment = deployment;
        this.root = root;
        this.ports = ports;
        this.environment = environment;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the pod of {@code deployment}. {@code secrets} are the test's values of the cluster's Secrets (name →
     * key → value); {@code jarOf} maps the container's image to the packaged jar built from the same module.
     */
    static RehearsalPod start(JsonNode deployment, RenderedCluster cluster, Map<String, Map<String, String>> secrets,
            Path root, java.util.function.Function<String, Path> jarOf) {
        String name = Manifests.name(deployment);
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        if (pod.path("containers").size() != 1 || pod.has("initContainers")) {
            throw new AssertionError(name + ": the rehearsal runs pods of exactly one container");
        }
        JsonNode container = pod.path("containers").get(0);
        if (container.has("command")) {
            throw new AssertionError(name + ": a command override would not run the image's java -jar");
        }
        try {
            Files.createDirectories(root);
            Map<String, String> mounts = mountVolumes(name, pod, container, cluster, secrets, root);
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (JsonNode port : container.path("ports")) {
                ports.put(port.path("name").asText(String.valueOf(port.path("containerPort").asInt())), freePort());
            }
            Map<String, String> environment = environment(name, deployment, container, cluster, secrets);
            environment.replaceAll((key, value) -> insideRoot(value, mounts, root));
            Path jar = jarOf.apply(container.path("image").asText()).toAbsolutePath();
            if (environment.containsKey("QUARKUS_HTTP_PORT")) {
                throw new AssertionError(name + " sets QUARKUS_HTTP_PORT, which the rehearsal would hide; set containerPort");
            }
            for (JsonNode port : container.path("ports")) {
                if (port.path("name").asText().equals("http")) {
                    int listens = Integer.parseInt(JarDefaults.of(jar).getProperty("quarkus.http.port", "8080"));
                    if (listens != port.path("containerPort").asInt()) {
                        throw new AssertionError(name + ": containerPort " + port.path("containerPort").asInt()
                                + " but the jar listens on " + listens);
                    }
                }
            }
            Map<String, String> processEnvironment = new LinkedHashMap<>(environment);
            processEnvironment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            if (ports.containsKey("http")) {
                processEnvironment.put("QUARKUS_HTTP_PORT", String.valueOf(ports.get("http")));
            }

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            JsonNode limits = container.path("resources").path("limits");
            if (limits.has("memory")) {
                command.add("-XX:MaxRAM=" + bytes(limits.path("memory").asText()));
            }
            if (limits.has("cpu")) {
                command.add("-XX:ActiveProcessorCount=" + Math.max(1, (int) Math.ceil(cores(limits.path("cpu").asText()))));
            }
            // What the image's run-java.sh adds: the heap as JAVA_MAX_MEM_RATIO % of the limit (80 unless set), and
            // the parallel collector.
            String ratio = environment.getOrDefault("JAVA_MAX_MEM_RATIO", "80");
            if (limits.has("memory") && !ratio.equals("0")) { // 0: the script leaves the JVM's own default
                command.add("-XX:MaxRAMPercentage=" + ratio);
            }
            command.add("-XX:+UseParallelGC");
            command.add("-XX:TieredStopAtLevel=1");
            if (mounts.containsKey("/tmp")) {
                command.add("-Djava.io.tmpdir=" + mounts.get("/tmp"));
            }
            command.add("-jar");
            command.add(jar.toString());
            container.path("args").forEach(arg -> command.add(expand(arg.asText(), environment)));

            Path workingDirectory = Files.createDirectories(root.resolve("deployments"));
            Path log = root.resolve("pod.log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().clear();
            builder.environment().putAll(processEnvironment);
            return new RehearsalPod(name, deployment, root, ports, environment, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the pod of " + name, e);
        }
    }

    String name() {
        return name;
    }

    JsonNode deployment() {
        return deployment;
    }

    JsonNode podLabels() {
        return deployment.path("spec").path("template").path("metadata").path("labels");
    }

    /** The environment the container got, as the pod's spec defines it (paths already moved under the root). */
    Map<String, String> environment() {
        return environment;
    }

    Path root() {
        return root;
    }

    /** The local port standing in for the container port of this name (or number). */
    int port(String nameOrNumber) {
        Integer port = ports.get(nameOrNumber);
        if (port == null) {
            throw new AssertionError(name + " has no container port " + nameOrNumber + " (has " + ports.keySet() + ")");
        }
        return port;
    }

    URI uri(String portName, String path) {
        return URI.create("http://127.0.0.1:" + port(portName) + path);
    }

    /**
     * Whether the readiness probe, as written in the Deployment, answers 200. Fails if the process died, or if the
     * startup probe still fails past its budget ({@code failureThreshold} tries, each a period or a timeout long):
     * the kubelet would have killed the container by then.
     */
    boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
        }
        if (probeAnswers("readinessProbe")) {
            return true;
        }
        // The kubelet kills a container whose startup probe failed failureThreshold times, each at most one period or
        // one timeout long; one that started and is not ready yet is left alone. Not an AssertionError: the caller's
        // await would take it for "not yet" and keep waiting.
        JsonNode startup = container().path("startupProbe");
        Duration budget = Duration.ofSeconds((long) startup.path("failureThreshold").asInt(3)
                * Math.max(startup.path("periodSeconds").asInt(10), startup.path("timeoutSeconds").asInt(1)));
        Duration waited = Duration.between(started, java.time.Instant.now());
        if (waited.compareTo(budget) > 0 && !probeAnswers("startupProbe")) {
            throw new IllegalStateException(name + " not ready after " + waited.toSeconds() + " s, beyond its startupProbe"
                    + " budget of " + budget.toSeconds() + " s:\n" + logTail());
        }
        return false;
    }

    /**
     * Whether the liveness and startup probes answer 200, as the kubelet would ask them: a probe fails the pod only
     * after {@code failureThreshold} failures in a row, {@code periodSeconds} apart.
     */
    boolean alive() {
        return process.isAlive() && keepsAnswering("livenessProbe") && keepsAnswering("startupProbe");
    }

    private boolean keepsAnswering(String probeName) {
        JsonNode probe = container().path(probeName);
        int failures = probe.path("failureThreshold").asInt(3);
        for (int i = 0; i < failures; i++) {
            if (probeAnswers(probeName)) {
                return true;
            }
            if (i + 1 < failures) {
                try {
                    Thread.sleep(Duration.ofSeconds(probe.path("periodSeconds").asInt(10)).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private JsonNode container() {
        return deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }

    private boolean probeAnswers(String probeName) {
        JsonNode probe = container().path(probeName).path("httpGet");
        if (probe.isMissingNode()) {
            throw new AssertionError(name + " has no httpGet " + probeName);
        }
        try {
            // Within the probe's timeoutSeconds, 1 s unless set, as the kubelet waits.
            Duration timeout = Duration.ofSeconds(container().path(probeName).path("timeoutSeconds").asInt(1));
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(uri(probe.path("port").asText(), probe.path("path").asText()))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The most memory the pod's process has held resident (VmHWM), in bytes. */
    long peakResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the resident memory of " + name, e);
        }
        throw new AssertionError("no VmHWM for " + name);
    }

    /** The container's memory limit, in bytes. */
    long memoryLimitBytes() {
        return bytes(container().path("resources").path("limits").path("memory").asText());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends SIGTERM, as the kubelet does when the pod is deleted or drained; {@link #awaitTermination} waits. */
    void terminate() {
        terminatedAt = System.nanoTime();
        process.destroy();
    }

    /**
     * Waits for the pod to exit after {@link #terminate}, as long as its {@code terminationGracePeriodSeconds} (30 s by
     * default), after which the kubelet would kill it; fails if it is still running then or did not stop cleanly.
     */
    void awaitTermination() {
        int grace = deployment.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt(30);
        try {
            long left = TimeUnit.SECONDS.toNanos(grace) - (System.nanoTime() - terminatedAt);
            if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                throw new AssertionError(name + " still running " + grace + " s after SIGTERM, past its "
                        + "terminationGracePeriodSeconds: the kubelet would kill it\n" + logTail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + ": interrupted while waiting for it to stop", e);
        }
        if (!log().contains(" stopped in ")) {
            throw new AssertionError(name + " exited on SIGTERM without Quarkus' orderly stop\n" + logTail());
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Writes every mounted volume under the root; returns mount path → directory standing in for it. */
    private static Map<String, String> mountVolumes(String name, JsonNode pod, JsonNode container, RenderedCluster cluster,
            Map<String, Map<String, String>> secrets, Path root) throws IOException {
        Map<String, String> mounts = new LinkedHashMap<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.has("subPath")) {
                throw new AssertionError(name + ": subPath mounts are not rehearsed");
            }
            String mountPath = mount.path("mountPath").asText();
            Path directory = Files.createDirectories(root.resolve(mountPath.substring(1)));
            JsonNode volume = null;
            for (JsonNode candidate : pod.path("volumes")) {
                if (candidate.path("name").asText().equals(mount.path("name").asText())) {
                    volume = candidate;
                }
            }
            if (volume == null) {
                throw new AssertionError(name + ": volumeMount " + mount.path("name").asText() + " names no volume");
            }
            Map<String, String> files;
            JsonNode items;
            if (volume.has("configMap")) {
                String configMap = volume.path("configMap").path("name").asText();
                files = cluster.configMapData(configMap).orElseThrow(
                        () -> new AssertionError(name + ": mounts ConfigMap " + configMap + ", which is not rendered"));
                items = volume.path("configMap").path("items");
            } else if (volume.has("secret")) {
                String secret = volume.path("secret").path("secretName").asText();
                files = secretData(name, secret, secrets);
                items = volume.path("secret").path("items");
            } else if (volume.has("emptyDir")) {
                files = Map.of();
                items = null;
            } else {
                throw new AssertionError(name + ": volume " + volume + " is not rehearsed");
            }
            if (items != null && items.size() > 0) {
                for (JsonNode item : items) {
                    String value = files.get(item.path("key").asText());
                    if (value == null) {
                        throw new AssertionError(name + ": volume " + mount.path("name").asText() + " has no key "
                                + item.path("key").asText());
                    }
                    write(directory.resolve(item.path("path").asText()), value);
                }
            } else {
                for (Map.Entry<String, String> file : files.entrySet()) {
                    write(directory.resolve(file.getKey()), file.getValue());
                }
            }
            mounts.put(mountPath, directory.toString());
        }
        return mounts;
    }

    private static Map<String, String> environment(String name, JsonNode deployment, JsonNode container,
            RenderedCluster cluster, Map<String, Map<String, String>> secrets) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String prefix = source.path("prefix").asText("");
            Map<String, String> values;
            if (source.has("configMapRef")) {
                String configMap = source.path("configMapRef").path("name").asText();
                values = cluster.configMapData(configMap).orElse(null);
                if (values == null && !source.path("configMapRef").path("optional").asBoolean(false)) {
                    throw new AssertionError(name + ": envFrom ConfigMap " + configMap + " is not rendered");
                }
            } else {
                String secret = source.path("secretRef").path("name").asText();
                values = source.path("secretRef").path("optional").asBoolean(false) && !secrets.containsKey(secret)
                        ? null : secretData(name, secret, secrets);
            }
            if (values != null) {
                values.forEach((key, value) -> environment.put(prefix + key, value));
            }
        }
        for (JsonNode variable : container.path("env")) {
            String key = variable.path("name").asText();
            if (variable.has("value")) {
                environment.put(key, expand(variable.path("value").asText(), environment));
            } else {
                JsonNode from = variable.path("valueFrom");
                String value;
                if (from.has("configMapKeyRef")) {
                    JsonNode ref = from.path("configMapKeyRef");
                    value = cluster.configMapData(ref.path("name").asText()).map(d -> d.get(ref.path("key").asText())).orElse(null);
                } else if (from.has("secretKeyRef")) {
                    JsonNode ref = from.path("secretKeyRef");
                    value = secretData(name, ref.path("name").asText(), secrets).get(ref.path("key").asText());
                } else if (from.has("fieldRef")) {
                    value = switch (from.path("fieldRef").path("fieldPath").asText()) {
                        case "metadata.name" -> name + "-rehearsal";
                        case "metadata.namespace" -> deployment.path("metadata").path("namespace").asText();
                        case "status.podIP", "status.hostIP" -> "127.0.0.1";
                        default -> throw new AssertionError(name + ": fieldRef " + from + " is not rehearsed");
                    };
                } else {
                    throw new AssertionError(name + ": env " + key + " " + from + " is not rehearsed");
                }
                if (value == null) {
                    throw new AssertionError(name + ": env " + key + " refers to a key that does not exist: " + from);
                }
                environment.put(key, value);
            }
        }
        return environment;
    }

    private static Map<String, String> secretData(String pod, String secret, Map<String, Map<String, String>> secrets) {
        Map<String, String> data = secrets.get(secret);
        if (data == null) {
            throw new AssertionError(pod + " needs Secret " + secret + ", which the rehearsal was given no value for");
        }
        return data;
    }

    /** Kubernetes' {@code $(VAR)} references to variables defined earlier in the container. */
    private static String expand(String value, Map<String, String> environment) {
        Matcher matcher = VARIABLE_REFERENCE.matcher(value);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String replacement = environment.getOrDefault(matcher.group(1), matcher.group());
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
        }
        return matcher.appendTail(expanded).toString();
    }

    private static String insideRoot(String value, Map<String, String> mounts, Path root) {
        for (Map.Entry<String, String> mount : mounts.entrySet()) {
            if (value.equals(mount.getKey()) || value.startsWith(mount.getKey() + "/")) {
                return mount.getValue() + value.substring(mount.getKey().length());
            }
        }
        return value;
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    static long bytes(String quantity) {
        Matcher matcher = Pattern.compile("(\\d+)(Ki|Mi|Gi|K|M|G)?").matcher(quantity);
        if (!matcher.matches()) {
            throw new AssertionError("memory quantity " + quantity + " is not rehearsed");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "" : matcher.group(2);
        return number * switch (unit) {
            case "Ki" -> 1024L;
            case "Mi" -> 1024L * 1024;
            case "Gi" -> 1024L * 1024 * 1024;
            case "K" -> 1000L;
            case "M" -> 1000L * 1000;
            case "G" -> 1000L * 1000 * 1000;
            default -> 1L;
        };
    }

    static double cores(String quantity) {
        return quantity.endsWith("m") ? Double.parseDouble(quantity.substring(0, quantity.length() - 1)) / 1000
                : Double.parseDouble(quantity);
    }

    static int freePort() {
        return dev.herald.kafka.embedded.ListenPort.free();
    }

    @Override
    public String toString() {
        return name + " " + ports;
    }
}
