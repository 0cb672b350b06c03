package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.herald.events.DeliveryHeaders;
import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.events.Topics;
import jakarta.mail.internet.MimeMessage;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes rehearsal: {@code k8s/overlays/<env>} rendered with a component that swaps only what lies outside
 * the cluster (Kafka's address → the in-build broker, SMTP → a test SMTP server, the Slack allow-list → a local Slack
 * stand-in), every rendered Deployment started as a local process of its packaged jar with exactly its pod's
 * environment, args and volumes ({@link RehearsalPod}), against a broker that creates no topic by itself and holds
 * only the rendered KafkaTopics. prod runs on the broker's TLS listener, trusting a CA made here, as it would trust
 * Strimzi's cluster CA.
 *
 * <p>Checked by reverting the configuration fix (ConfigMaps mounted as files read through
 * {@code SMALLRYE_CONFIG_SOURCE_FILE_LOCATIONS}, as before, and the rehearsal component patching those keys): the
 * ingest's log shows it dialling {@code localhost:9092} ("Connection to node -1 (localhost/127.0.0.1:9092) could not
 * be established"), no pod became ready, and this test failed on its readiness await after 4 minutes.
 */
class KubernetesRehearsalIT {

    private static final String INGEST_TOKEN = "rehearsal-token";
    /** The webhooks' host in k8s/base (a placeholder each installation replaces): Uniskai posts to it. */
    private static final String WEBHOOK_HOST = "herald.example.com";
    private static final Pattern HERALD_METRIC = Pattern.compile("\\bherald_[a-z0-9_]+");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void renderedPodsRunAsWrittenAndDeliverTheDocumentedExamples(String environment) throws Exception {
        Path work = clean(Manifests.ROOT.resolve("herald-deploy/target/rehearsal").resolve(environment));
        boolean tls = environment.equals("prod");
        List<RehearsalPod> pods = new ArrayList<>();
        GreenMail smtp = new GreenMail(new ServerSetup(RehearsalPod.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        // One failed Slack call makes the deliveries Deployment write that delivery back for a second attempt, which it
        // then sends: retries have no Deployment of their own.
        try (RehearsalKafka kafka = RehearsalKafka.start(work.resolve("kafka"), tls);
                SlackStandIn slack = new SlackStandIn(1)) {
            smtp.start();
            RenderedCluster cluster = render(environment, work, kafka, smtp, slack);
            createTopicsAsStrimziWould(cluster, kafka);
            Map<String, Map<String, String>> secrets = secrets(slack, kafka);

            for (JsonNode deployment : cluster.ofKind("Deployment")) {
                pods.add(RehearsalPod.start(deployment, cluster, secrets, work.resolve("pods").resolve(Manifests.name(deployment)),
                        KubernetesRehearsalIT::jarOf));
            }
            assertThat(pods).hasSize(cluster.ofKind("Deployment").size()).hasSizeGreaterThanOrEqualTo(12);
            await("every pod ready on its readinessProbe").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(pods.stream().filter(pod -> !pod.ready()).map(RehearsalPod::name))
                            .as("pods not ready yet").isEmpty());
            assertThat(pods.stream().filter(pod -> !pod.alive()).map(RehearsalPod::name))
                    .as("pods whose liveness or startup probe fails").isEmpty();

            // The eight documented examples and one undocumented type, through the Ingress path to the ingest pods.
            RehearsalPod ingest = podBehindIngress(cluster, pods, WEBHOOK_HOST, "/webhooks/uniskai");
            String backendPort = cluster.ingressBackend(WEBHOOK_HOST, "/webhooks/uniskai").targetPort();
            Map<String, String> documented = new LinkedHashMap<>();
            for (EventType type : EventType.values()) {
                documented.put(post(ingest, backendPort, DocumentedExamples.of(type)), type.typeName());
            }
            String undocumented = post(ingest, backendPort,
                    "{\"type\":\"budget-exceeded\",\"account_id\":\"12345678\"}".getBytes(StandardCharsets.UTF_8));

            String mailFrom = cluster.configMapData("herald-notifier-config").orElseThrow().get("QUARKUS_MAILER_FROM");
            await("an email and a Slack message for each documented example").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                        assertThat(delivered(emails(smtp), documented.keySet())).containsExactlyInAnyOrderElementsOf(documented.keySet());
                        assertThat(delivered(slack.messages(), documented.keySet())).containsExactlyInAnyOrderElementsOf(documented.keySet());
                    });
            for (MimeMessage mail : smtp.getReceivedMessages()) {
                assertThat(mail.getFrom()[0].toString()).as("the From of the ConfigMap").isEqualTo(mailFrom);
                assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ops@example.com");
            }

            Map<GroupTopic, Integer> scaled = scaledGroups(cluster);
            try (Admin admin = kafka.admin()) {
                await("every ScaledObject's group has committed its topic, with no lag left").atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                            for (GroupTopic groupTopic : scaled.keySet()) {
                                assertThat(committed(admin, groupTopic)).as("committed offsets of %s", groupTopic).isNotEmpty();
                                assertThat(kedaLag(admin, groupTopic)).as("lag as KEDA computes it for %s", groupTopic).isZero();
                            }
                        });
                for (GroupTopic committing : committingGroups(admin)) {
                    assertThat(scaled).as("the group %s commits on %s: some ScaledObject must scale it",
                            committing.group(), committing.topic()).containsKey(committing);
                }
            }
            assertThat(delivered(slack.messages(), Set.of(undocumented))).as("the undocumented type is delivered too")
                    .containsExactly(undocumented);
            assertTheFailedSlackCallWasAttemptedAgainThroughTheDeliveriesTopic(cluster, kafka, documented.keySet());

            assertThat(pods.stream().filter(pod -> !pod.alive()).map(RehearsalPod::name))
                    .as("pods whose liveness or startup probe fails after the run").isEmpty();
            assertEveryPodStayedWithinItsMemoryLimit(pods);
            assertEveryAlertAndDashboardMetricIsScraped(cluster, pods, secrets);
            assertRouterStateIsOnItsVolume(pods);
            Path consoleIndex = consoleIndexOnItsVolume(pods);
            assertTlsWhereTheOverlaySaysSo(pods, tls);
            assertThat(new TreeSet<>(kafka.topicNames())).as("no topic beyond the KafkaTopics and Kafka Streams' own")
                    .allMatch(topic -> topic.startsWith("herald-router-") || cluster.ofKind("KafkaTopic").stream()
                            .anyMatch(t -> t.path("spec").path("topicName").asText().equals(topic)));

            // Every pod deleted at once, as a rollout or a node drain does, while Kafka is still there: each stops in
            // order within its grace period (and the test does not spend minutes stopping pods whose broker is gone).
            pods.forEach(RehearsalPod::terminate);
            pods.forEach(RehearsalPod::awaitTermination);
            assertThat(consoleIndex).as("the console empties its index when it stops").doesNotExist();
        } finally {
            pods.parallelStream().forEach(RehearsalPod::close);
            smtp.stop();
        }
    }

    /** Renders the overlay with the rehearsal component, which changes nothing but the addresses outside the cluster. */
    private static RenderedCluster render(String environment, Path work, RehearsalKafka kafka, GreenMail smtp,
            SlackStandIn slack) throws IOException {
        Path kustomization = Files.createDirectories(work.resolve("kustomize"));
        Path component = Files.createDirectories(kustomization.resolve("rehearsal"));
        Files.writeString(component.resolve("kustomization.yaml"), """
                # The rehearsal's swaps: only what lies outside the cluster.
                apiVersion: kustomize.config.k8s.io/v1alpha1
                kind: Component
                patches:
                  - target:
                      kind: ConfigMap
                      name: herald-(ingest|router|notifier|console)-config
                    patch: |-
                      - op: replace
                        path: /data/KAFKA_BOOTSTRAP_SERVERS
                        value: %1$s
                  - target:
                      kind: ScaledObject
                    patch: |-
                      - op: replace
                        path: /spec/triggers/0/metadata/bootstrapServers
                        value: %1$s
                  - target:
                      kind: ConfigMap
                      name: herald-notifier-config
                    patch: |-
                      - op: replace
                        path: /data/QUARKUS_MAILER_HOST
                        value: 127.0.0.1
                      - op: replace
                        path: /data/QUARKUS_MAILER_PORT
                        value: "%2$d"
                      - op: replace
                        path: /data/QUARKUS_MAILER_START_TLS
                        value: DISABLED
                      - op: replace
                        path: /data/HERALD_SLACK_ALLOWED_URL_PREFIXES
                        value: %3$s
                """.formatted(kafka.bootstrapServersForHerald(), smtp.getSmtp().getPort(), slack.urlPrefix()));
        Files.writeString(kustomization.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                components:
                  - rehearsal
                """.formatted(kustomization.relativize(Manifests.ROOT.resolve("k8s/overlays").resolve(environment))));
        return new RenderedCluster(Manifests.render(Manifests.ROOT.relativize(kustomization).toString()));
    }

    /**
     * Each KafkaTopic as Strimzi's topic operator creates it: its name, partitions and config, with replicas and
     * {@code min.insync.replicas} capped at the one broker there is.
     */
    private static void createTopicsAsStrimziWould(RenderedCluster cluster, RehearsalKafka kafka) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (JsonNode kafkaTopic : cluster.ofKind("KafkaTopic")) {
            JsonNode spec = kafkaTopic.path("spec");
            Map<String, String> config = new HashMap<>(RenderedCluster.strings(spec.path("config")));
            config.computeIfPresent("min.insync.replicas", (key, value) -> "1");
            topics.add(new NewTopic(spec.path("topicName").asText(Manifests.name(kafkaTopic)), spec.path("partitions").asInt(),
                    (short) Math.min(1, spec.path("replicas").asInt(1))).configs(config));
        }
        try (Admin admin = kafka.admin()) {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Test values for the Secrets the pods read (none is rendered: they are created by hand in a real cluster). */
    private static Map<String, Map<String, String>> secrets(SlackStandIn slack, RehearsalKafka kafka) {
        Map<String, Map<String, String>> secrets = new HashMap<>();
        secrets.put("herald-ingest-secrets", Map.of("HERALD_INGEST_TOKENS", INGEST_TOKEN));
        secrets.put("herald-notifier-secrets", Map.of("SLACK_OPS_WEBHOOK", slack.webhook("T0REHEARSAL/B0REHEARSAL/ops")));
        secrets.put("herald-console-secrets", Map.of("HERALD_CONSOLE_TOKENS", "rehearsal-console-token",
                "HERALD_CONSOLE_METRICS_TOKENS", "rehearsal-scrape-token", "PROMETHEUS_SCRAPE_TOKEN", "rehearsal-scrape-token"));
        kafka.caCertificatePem().ifPresent(pem -> secrets.put("herald-kafka-cluster-ca-cert", Map.of("ca.crt", pem)));
        return secrets;
    }

    private static Path jarOf(String image) {
        // registry.example.com/herald/notifier-service:0.1.0 → notifier-service/target/quarkus-app/quarkus-run.jar
        String repository = image.contains(":") ? image.substring(0, image.lastIndexOf(':')) : image;
        String module = repository.substring(repository.lastIndexOf('/') + 1);
        Path jar = Manifests.ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged %s (./mvnw package builds it)", module).exists();
        return jar;
    }

    private static RehearsalPod podBehindIngress(RenderedCluster cluster, List<RehearsalPod> pods, String host, String path) {
        JsonNode service = cluster.ingressBackend(host, path).service();
        return pods.stream().filter(p -> RenderedCluster.matches(p.podLabels(), service.path("spec").path("selector")))
                .findFirst().orElseThrow(() -> new AssertionError("no pod behind the Service of " + path));
    }

    private static String post(RehearsalPod ingest, String port, byte[] body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(ingest.uri(port, "/webhooks/uniskai"))
                .header("Authorization", "Bearer " + INGEST_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return Manifests.YAML.readTree(response.body()).path("id").asText();
    }

    private static List<String> emails(GreenMail smtp) {
        return Stream.of(smtp.getReceivedMessages()).map(GreenMailUtil::getWholeMessage).toList();
    }

    /** The event ids of {@code wanted} that some message names. */
    private static Set<String> delivered(List<String> messages, Set<String> wanted) {
        Set<String> found = new TreeSet<>();
        for (String id : wanted) {
            long count = messages.stream().filter(m -> m.contains(id)).count();
            assertThat(count).as("messages naming event %s", id).isLessThanOrEqualTo(1);
            if (count == 1) {
                found.add(id);
            }
        }
        return found;
    }

    record GroupTopic(String group, String topic) {
    }

    /** (consumer group, topic) of every KEDA kafka trigger → its ScaledObject's maxReplicaCount. */
    private static Map<GroupTopic, Integer> scaledGroups(RenderedCluster cluster) {
        Map<GroupTopic, Integer> scaled = new HashMap<>();
        for (JsonNode scaledObject : cluster.ofKind("ScaledObject")) {
            for (JsonNode trigger : scaledObject.path("spec").path("triggers")) {
                JsonNode metadata = trigger.path("metadata");
                scaled.put(new GroupTopic(metadata.path("consumerGroup").asText(), metadata.path("topic").asText()),
                        scaledObject.path("spec").path("maxReplicaCount").asInt());
            }
        }
        return scaled;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, GroupTopic groupTopic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        admin.listConsumerGroupOffsets(groupTopic.group()).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((partition, offset) -> {
                    if (offset != null && partition.topic().equals(groupTopic.topic())) {
                        offsets.put(partition, offset);
                    }
                });
        return offsets;
    }

    /**
     * Lag the way KEDA's kafka scaler computes it with {@code offsetResetPolicy: earliest}: per partition, the latest
     * offset minus the committed one, and the whole partition where nothing was committed.
     */
    private static long kedaLag(Admin admin, GroupTopic groupTopic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(groupTopic.topic())).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(groupTopic.topic());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        description.partitions().forEach(p -> latest.put(new TopicPartition(groupTopic.topic(), p.partition()), OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = committed(admin, groupTopic);
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            lag += end.getValue().offset() - (offset == null ? 0 : offset.offset());
        }
        return lag;
    }

    /** Every (group, topic) with committed offsets on the broker. */
    private static List<GroupTopic> committingGroups(Admin admin) throws Exception {
        List<GroupTopic> committing = new ArrayList<>();
        for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS)) {
            admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .keySet().stream().map(TopicPartition::topic).distinct()
                    .forEach(topic -> committing.add(new GroupTopic(group.groupId(), topic)));
        }
        return committing;
    }

    /**
     * Every {@code herald_*} name the PrometheusRule and the dashboard use is in a scrape of a pod that some
     * ServiceMonitor selects, on the path and port the ServiceMonitor names, scraped as Prometheus would, with the
     * endpoint's bearer token read from its Secret; every scrape must answer 200.
     */
    private static void assertEveryAlertAndDashboardMetricIsScraped(RenderedCluster cluster, List<RehearsalPod> pods,
            Map<String, Map<String, String>> secrets) throws Exception {
        List<JsonNode> monitoring = Manifests.render("k8s/monitoring");
        Set<String> used = new TreeSet<>();
        for (JsonNode rule : Manifests.ofKind(monitoring, "PrometheusRule")) {
            used.addAll(heraldNames(rule.path("spec").toString()));
        }
        used.addAll(heraldNames(Files.readString(Manifests.ROOT.resolve("k8s/monitoring/grafana/herald-dashboard.json"))));
        assertThat(used).hasSizeGreaterThan(5);

        Set<String> scraped = new TreeSet<>();
        for (JsonNode serviceMonitor : Manifests.ofKind(monitoring, "ServiceMonitor")) {
            JsonNode selector = serviceMonitor.path("spec").path("selector");
            for (JsonNode service : cluster.servicesLabelled(selector)) {
                for (JsonNode endpoint : serviceMonitor.path("spec").path("endpoints")) {
                    String targetPort = portTarget(service, endpoint.path("port").asText());
                    for (RehearsalPod pod : pods) {
                        if (RenderedCluster.matches(pod.podLabels(), service.path("spec").path("selector"))) {
                            HttpRequest.Builder scrape = HttpRequest.newBuilder(pod.uri(targetPort, endpoint.path("path").asText("/metrics")));
                            JsonNode credentials = endpoint.path("authorization").path("credentials");
                            if (!credentials.isMissingNode()) {
                                String token = secrets.getOrDefault(credentials.path("name").asText(), Map.of())
                                        .get(credentials.path("key").asText());
                                assertThat(token).as("the scrape token %s of %s", credentials.path("key").asText(),
                                        credentials.path("name").asText()).isNotNull();
                                scrape.header("Authorization", endpoint.path("authorization").path("type").asText("Bearer") + " " + token);
                            }
                            HttpResponse<String> answer = HTTP.send(scrape.GET().build(), HttpResponse.BodyHandlers.ofString());
                            assertThat(answer.statusCode()).as("%s scraped by the ServiceMonitor %s", pod.name(),
                                    Manifests.name(serviceMonitor)).isEqualTo(200);
                            String body = answer.body();
                            body.lines().filter(line -> !line.startsWith("#")).forEach(line -> scraped.addAll(heraldNames(line)));
                        }
                    }
                }
            }
        }
        assertThat(scraped).as("names scraped from the pods the ServiceMonitors select").containsAll(used);
    }

    private static String portTarget(JsonNode service, String portName) {
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("name").asText().equals(portName)) {
                return port.path("targetPort").asText();
            }
        }
        throw new AssertionError("Service " + Manifests.name(service) + " has no port named " + portName);
    }

    private static Set<String> heraldNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = HERALD_METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    /**
     * The per-type Deployments wrote one delivery per event and destination, each naming its route; the Slack call
     * that failed was written back to the same topic as a second attempt (there is no retry topic), which the
     * deliveries Deployment then sent, as the Slack messages above show.
     */
    private static void assertTheFailedSlackCallWasAttemptedAgainThroughTheDeliveriesTopic(RenderedCluster cluster,
            RehearsalKafka kafka, Set<String> documented) {
        Topics topics = new Topics(cluster.configMapData("herald-notifier-config").orElseThrow().get("HERALD_TOPIC_PREFIX"));
        List<DeliveryHeaders> deliveries = kafka.read(topics.deliveries()).stream()
                .map(record -> DeliveryHeaders.from(name -> {
                    Header header = record.headers().lastHeader(name);
                    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
                }).orElseThrow(() -> new AssertionError("a record on " + topics.deliveries() + " without its delivery headers")))
                .toList();

        for (String eventId : documented) {
            assertThat(deliveries.stream().filter(d -> d.eventId().equals(eventId) && d.attempt() == 1).map(DeliveryHeaders::channel))
                    .as("first attempts of event %s", eventId).containsExactlyInAnyOrder("email", "slack");
        }
        assertThat(deliveries).as("every delivery names its route").allSatisfy(d -> assertThat(d.route()).isEqualTo("ops"));
        assertThat(deliveries.stream().filter(d -> d.attempt() > 1 && d.channel().equals("slack")))
                .as("the delivery whose Slack call answered 500, attempted again").singleElement()
                .satisfies(retry -> {
                    assertThat(retry.attempt()).isEqualTo(2);
                    assertThat(retry.error()).isNotBlank();
                    assertThat(retry.notBefore()).isAfter(Instant.EPOCH);
                });
        // An email may be tried again too when the SMTP server here is slow to answer (seen once in CI, on a loaded
        // machine); any retry must still say why, and come once.
        assertThat(deliveries.stream().filter(d -> d.attempt() > 1 && !d.channel().equals("slack")))
                .as("other deliveries attempted again").allSatisfy(retry -> {
                    assertThat(retry.attempt()).as("%s", retry).isEqualTo(2);
                    assertThat(retry.error()).as("%s", retry).isNotBlank();
                });
    }

    /** The console's journey index, on the volume its Deployment mounts for it (not the read-only root, not /tmp). */
    private static Path consoleIndexOnItsVolume(List<RehearsalPod> pods) {
        RehearsalPod console = pods.stream().filter(p -> p.name().equals("herald-console")).findFirst().orElseThrow();
        Path index = Path.of(console.environment().get("HERALD_CONSOLE_INDEX_DIR"));
        assertThat(index).startsWith(console.root().resolve("var/lib/herald-console"));
        assertThat(index.resolve("rocksdb/CURRENT")).as("a RocksDB index in %s", index).isRegularFile();
        return index;
    }

    /**
     * Each pod's process at its peak held less than its memory limit: the kubelet would have killed it otherwise. The
     * heap is bounded as the image bounds it (RehearsalPod); this run's load is light, so it proves the footprint of
     * a start and a few events, not of a busy hour.
     */
    private static void assertEveryPodStayedWithinItsMemoryLimit(List<RehearsalPod> pods) {
        for (RehearsalPod pod : pods) {
            long peak = pod.peakResidentBytes();
            long limit = pod.memoryLimitBytes();
            System.out.printf("%s: peak resident %d MiB of its %d MiB limit%n", pod.name(), peak >> 20, limit >> 20);
            assertThat(peak).as("%s's peak resident memory against its limit", pod.name()).isLessThan(limit);
        }
    }

    /** The router's KAFKA_STREAMS_STATE_DIR took effect: its stores are on the pod's state volume. */
    private static void assertRouterStateIsOnItsVolume(List<RehearsalPod> pods) throws IOException {
        RehearsalPod router = pods.stream().filter(p -> p.name().equals("herald-router")).findFirst().orElseThrow();
        Path stateDir = Path.of(router.environment().get("KAFKA_STREAMS_STATE_DIR"));
        assertThat(stateDir).startsWith(router.root());
        try (Stream<Path> files = Files.walk(stateDir)) {
            assertThat(files.filter(Files::isRegularFile).count()).as("files in %s", stateDir).isPositive();
        }
    }

    /**
     * prod's pods were told to speak TLS. That they do is proven above: their bootstrap address is the broker's SSL
     * listener, which a plain-text client cannot talk to, and they became ready and delivered through it.
     */
    private static void assertTlsWhereTheOverlaySaysSo(List<RehearsalPod> pods, boolean tls) {
        for (RehearsalPod pod : pods) {
            assertThat(pod.environment().getOrDefault("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"))
                    .as(pod.name()).isEqualTo(tls ? "SSL" : "PLAINTEXT");
        }
    }

    private static Path clean(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return Files.createDirectories(directory);
    }

}
