package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.events.Topics;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code kubectl kustomize k8s/overlays/<env>} renders: per-topic scaling, probes, limits, non-root. */
class RenderedManifestsTest {

    private static final Topics TOPICS = Topics.withDefaultPrefix();

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void everyPerTypeTopicHasItsKafkaTopicNotifierAndScaledObject(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        for (String topic : TOPICS.eventTopics()) {
            String type = topic.substring(topic.lastIndexOf('.') + 1);
            String group = "herald-notifier-" + type;

            JsonNode kafkaTopic = Manifests.ofKind(objects, "KafkaTopic").stream()
                    .filter(t -> topic.equals(t.path("spec").path("topicName").asText())).findFirst().orElseThrow();
            JsonNode deployment = Manifests.ofKind(objects, "Deployment").stream()
                    .filter(d -> group.equals(Manifests.name(d))).findFirst().orElseThrow();
            assertThat(env(deployment, "HERALD_NOTIFIER_TYPES")).isEqualTo(type);
            assertThat(env(deployment, "HERALD_NOTIFIER_GROUP_PREFIX") + "-" + type).isEqualTo(group);
            assertThat(env(deployment, "HERALD_NOTIFIER_DELIVER")).as("%s only fans out", group).isEqualTo("false");
            JsonNode scaledObject = Manifests.ofKind(objects, "ScaledObject").stream()
                    .filter(s -> s.path("spec").path("scaleTargetRef").path("name").asText().equals(Manifests.name(deployment)))
                    .findFirst().orElseThrow();
            JsonNode trigger = scaledObject.path("spec").path("triggers").get(0);
            assertThat(trigger.path("type").asText()).isEqualTo("kafka");
            assertThat(trigger.path("metadata").path("topic").asText()).isEqualTo(topic);
            assertThat(trigger.path("metadata").path("consumerGroup").asText()).isEqualTo(group);
            assertThat(trigger.path("metadata").has("lagThreshold")).isTrue();
            assertThat(trigger.path("metadata").has("activationLagThreshold")).isTrue();
            assertThat(scaledObject.path("spec").path("minReplicaCount").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(scaledObject.path("spec").path("maxReplicaCount").asInt())
                    .isLessThanOrEqualTo(kafkaTopic.path("spec").path("partitions").asInt());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void oneNotifierDeploymentDeliversScaledOnTheDeliveriesTopicUpToItsPartitions(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        List<JsonNode> notifiers = notifierDeployments(objects);
        assertThat(notifiers).hasSize(TOPICS.eventTopics().size() + 1);
        assertThat(notifiers).as("every notifier says whether it delivers")
                .allSatisfy(d -> assertThat(env(d, "HERALD_NOTIFIER_DELIVER")).isIn("true", "false"));
        List<JsonNode> deliverers = notifiers.stream().filter(d -> "true".equals(env(d, "HERALD_NOTIFIER_DELIVER"))).toList();
        assertThat(deliverers).extracting(Manifests::name).containsExactly("herald-notifier-deliveries");
        JsonNode deliverer = deliverers.get(0);
        assertThat(env(deliverer, "HERALD_NOTIFIER_TYPES")).as("it fans out no per-type topic").isEqualTo("none");
        assertThat(env(deliverer, "HERALD_NOTIFIER_GROUP_PREFIX") + "-deliveries").isEqualTo("herald-notifier-deliveries");
        assertThat(notifiers).allSatisfy(d -> assertThat(env(d, "HERALD_NOTIFIER_CONSUME_RETRIES")).isNull());

        JsonNode scaledObject = Manifests.ofKind(objects, "ScaledObject").stream()
                .filter(s -> s.path("spec").path("scaleTargetRef").path("name").asText().equals("herald-notifier-deliveries"))
                .findFirst().orElseThrow();
        JsonNode trigger = scaledObject.path("spec").path("triggers").get(0);
        assertThat(trigger.path("metadata").path("consumerGroup").asText()).isEqualTo("herald-notifier-deliveries");
        assertThat(trigger.path("metadata").path("topic").asText()).isEqualTo(TOPICS.deliveries());
        assertThat(scaledObject.path("spec").path("maxReplicaCount").asInt())
                .isBetween(1, kafkaTopic(objects, TOPICS.deliveries()).path("spec").path("partitions").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void deliveriesAndTheirDoneMarksAreCoPartitionedAndTheMarksExpireAfterAWeek(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode deliveries = kafkaTopic(objects, TOPICS.deliveries());
        JsonNode done = kafkaTopic(objects, TOPICS.deliveriesDone());

        assertThat(deliveries.path("spec").path("partitions").asInt()).isEqualTo(Topics.DELIVERY_PARTITIONS);
        assertThat(done.path("spec").path("partitions").asInt()).isEqualTo(Topics.DELIVERY_PARTITIONS);
        assertThat(done.path("spec").path("config").path("cleanup.policy").asText()).isEqualTo("delete");
        assertThat(done.path("spec").path("config").path("retention.ms").asLong()).isEqualTo(7L * 24 * 3600 * 1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void theDeliveriesNotifierIsScrapedBudgetedAndAloneReachesSmtpAndSlack(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        RenderedCluster cluster = new RenderedCluster(objects);
        for (JsonNode notifier : notifierDeployments(objects)) {
            String name = Manifests.name(notifier);
            JsonNode podLabels = notifier.path("spec").path("template").path("metadata").path("labels");
            assertThat(cluster.ofKind("Service")).as("a Service selects %s's pods, for the ServiceMonitor", name)
                    .anyMatch(s -> Manifests.name(s).equals("herald-notifier")
                            && RenderedCluster.matches(podLabels, s.path("spec").path("selector")));
            assertThat(cluster.ofKind("PodDisruptionBudget")).as("a PodDisruptionBudget covers %s", name)
                    .anyMatch(b -> RenderedCluster.matches(podLabels, b.path("spec").path("selector")));
            List<Integer> egress = new java.util.ArrayList<>();
            cluster.ofKind("NetworkPolicy").stream()
                    .filter(p -> RenderedCluster.matches(podLabels, p.path("spec").path("podSelector")))
                    .forEach(p -> p.path("spec").path("egress").forEach(rule -> rule.path("ports")
                            .forEach(port -> egress.add(port.path("port").asInt()))));
            if (name.equals("herald-notifier-deliveries")) {
                assertThat(egress).as(name).contains(25, 465, 587, 443, 53);
            } else {
                assertThat(egress).as("%s sends nothing", name).contains(53).doesNotContain(25, 465, 587, 443);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void everyHeraldTopicHasAKafkaTopic(String overlay) {
        List<String> declared = Manifests.ofKind(Manifests.render(overlay), "KafkaTopic").stream()
                .map(t -> t.path("spec").path("topicName").asText()).toList();

        assertThat(declared).containsExactlyInAnyOrderElementsOf(TOPICS.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void everyContainerHasProbesRequestsLimitsAndRunsAsNonRootOnAReadOnlyFilesystem(String overlay) {
        List<JsonNode> deployments = Manifests.ofKind(Manifests.render(overlay), "Deployment");
        assertThat(deployments).hasSizeGreaterThanOrEqualTo(TOPICS.eventTopics().size() + 2);
        for (JsonNode deployment : deployments) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            for (JsonNode container : pod.path("containers")) {
                String where = Manifests.name(deployment) + "/" + container.path("name").asText();
                assertThat(container.has("startupProbe")).as(where + " startupProbe").isTrue();
                assertThat(container.has("readinessProbe")).as(where + " readinessProbe").isTrue();
                assertThat(container.has("livenessProbe")).as(where + " livenessProbe").isTrue();
                for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                    // The kubelet's default, 1 s, is shorter than the ingest's readiness check waits for Kafka (2 s).
                    assertThat(container.path(probe).path("timeoutSeconds").asInt(1)).as(where + " " + probe + " timeout")
                            .isGreaterThan(2);
                }
                for (String resource : List.of("cpu", "memory")) {
                    assertThat(container.path("resources").path("requests").has(resource)).as(where + " requests").isTrue();
                    assertThat(container.path("resources").path("limits").has(resource)).as(where + " limits").isTrue();
                }
                boolean nonRoot = pod.path("securityContext").path("runAsNonRoot").asBoolean(false)
                        || container.path("securityContext").path("runAsNonRoot").asBoolean(false);
                assertThat(nonRoot).as(where + " runs as non-root").isTrue();
                assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).as(where).isTrue();
                assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).as(where).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev:1:1", "k8s/overlays/prod:3:2"})
    void overlaysSetReplicationAndMinInsyncReplicasOfTheirTopics(String expectation) {
        String[] parts = expectation.split(":");
        for (JsonNode topic : Manifests.ofKind(Manifests.render(parts[0]), "KafkaTopic")) {
            assertThat(topic.path("spec").path("replicas").asInt()).isEqualTo(Integer.parseInt(parts[1]));
            assertThat(topic.path("spec").path("config").path("min.insync.replicas").asText()).isEqualTo(parts[2]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void kafkasAddressIsTheSameInEveryConfigMapAndTrigger(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        List<String> addresses = new java.util.ArrayList<>();
        Manifests.ofKind(objects, "ConfigMap").stream().map(c -> c.path("data").path("KAFKA_BOOTSTRAP_SERVERS"))
                .filter(JsonNode::isTextual).forEach(a -> addresses.add(a.asText()));
        Manifests.ofKind(objects, "ScaledObject").forEach(s -> addresses.add(
                s.path("spec").path("triggers").get(0).path("metadata").path("bootstrapServers").asText()));

        assertThat(addresses).hasSizeGreaterThan(10).containsOnly(addresses.get(0));
        assertThat(addresses.get(0)).startsWith("herald-kafka-kafka-bootstrap.kafka:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void noSecretIsRenderedSoApplyNeverResetsRealOnes(String overlay) {
        assertThat(Manifests.ofKind(Manifests.render(overlay), "Secret")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void kafkaTopicsLiveWhereTheTopicOperatorOfTheClusterWatches(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        // herald-kafka-kafka-bootstrap.kafka:9093 → Strimzi cluster herald-kafka in namespace kafka
        String host = bootstrapServers(objects).split(":")[0];
        String cluster = host.substring(0, host.indexOf("-kafka-bootstrap"));
        String namespace = host.substring(host.indexOf('.') + 1);
        for (JsonNode topic : Manifests.ofKind(objects, "KafkaTopic")) {
            assertThat(topic.path("metadata").path("namespace").asText()).as(Manifests.name(topic)).isEqualTo(namespace);
            assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo(cluster);
        }
        JsonNode kafka = Manifests.ofKind(Manifests.render("k8s/kafka"), "Kafka").get(0);
        assertThat(Manifests.name(kafka)).isEqualTo(cluster);
        assertThat(kafka.path("spec").path("entityOperator").path("topicOperator").has("watchedNamespace"))
                .as("the topic operator watches its own namespace, where the KafkaTopics are").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void networkPoliciesOpenExactlyKafkasPort(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        int port = Integer.parseInt(bootstrapServers(objects).split(":")[1]);
        List<JsonNode> policies = Manifests.ofKind(objects, "NetworkPolicy").stream()
                .filter(p -> p.path("spec").has("egress")).toList();
        assertThat(policies).hasSize(5);
        for (JsonNode policy : policies) {
            assertThat(policy.path("spec").path("egress").get(0).path("ports").get(0).path("port").asInt())
                    .as(Manifests.name(policy)).isEqualTo(port);
            assertThat(policy.toString()).as(Manifests.name(policy) + " opens no other Kafka port")
                    .doesNotContain(port == 9092 ? "9093" : "9092");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void theWebhooksIngressLogsNoRequestLineAndLetsTheIngestAnswerBodiesOverItsLimit(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        List<JsonNode> toIngest = Manifests.ofKind(objects, "Ingress").stream()
                .filter(ingress -> services(ingress).contains("herald-ingest"))
                .toList();
        assertThat(toIngest).isNotEmpty().allSatisfy(ingress -> {
            JsonNode annotations = ingress.path("metadata").path("annotations");
            // The sender's token may be in the path: ingress-nginx's access log would keep it.
            assertThat(annotations.path("nginx.ingress.kubernetes.io/enable-access-log").asText())
                    .as(Manifests.name(ingress) + " access log").isEqualTo("false");
            assertThat(services(ingress)).as("its rules lead to the ingest alone: the console keeps its access log")
                    .containsOnly("herald-ingest");
            String ingestLimit = Manifests.ofKind(objects, "ConfigMap").stream()
                    .filter(map -> Manifests.name(map).equals("herald-ingest-config")).findFirst().orElseThrow()
                    .path("data").path("HERALD_INGEST_MAX_BODY_SIZE").asText();
            assertThat(bytes(annotations.path("nginx.ingress.kubernetes.io/proxy-body-size").asText("1m")))
                    .as("nginx answers larger bodies itself, with HTML, before the ingest's problem+json 413")
                    .isGreaterThan(bytes(ingestLimit));
        });
    }

    /** The Services an Ingress's paths lead to. */
    private static List<String> services(JsonNode ingress) {
        List<String> services = new java.util.ArrayList<>();
        ingress.path("spec").path("rules").forEach(rule -> rule.path("http").path("paths").forEach(
                path -> services.add(path.path("backend").path("service").path("name").asText())));
        return services;
    }

    /** A size as nginx and Quarkus write it: 1m, 2M, 1048576. */
    private static long bytes(String size) {
        String digits = size.replaceAll("[^0-9]", "");
        return switch (size.replaceAll("[0-9]", "").toLowerCase()) {
            case "" -> Long.parseLong(digits);
            case "k" -> Long.parseLong(digits) << 10;
            case "m" -> Long.parseLong(digits) << 20;
            case "g" -> Long.parseLong(digits) << 30;
            default -> throw new AssertionError("not a size: " + size);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void theConsoleTakesRequestsFromTheIngressControllerAndPrometheusOnly(String overlay) {
        JsonNode policy = Manifests.ofKind(Manifests.render(overlay), "NetworkPolicy").stream()
                .filter(p -> Manifests.name(p).equals("herald-console")).findFirst().orElseThrow();
        JsonNode rules = policy.path("spec").path("ingress");
        assertThat(rules).isNotEmpty().allSatisfy(rule -> assertThat(rule.path("from")).as("a rule open to anyone")
                .isNotEmpty());
        List<String> sources = new java.util.ArrayList<>();
        rules.forEach(rule -> rule.path("from").forEach(from -> sources.add(
                from.path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText())));
        assertThat(sources).containsExactlyInAnyOrder("ingress-nginx", "prometheus");
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev:PLAINTEXT", "k8s/overlays/prod:SSL"})
    void everyKafkaClientAndTriggerUsesTheListenersProtocol(String expectation) {
        String[] parts = expectation.split(":");
        List<JsonNode> objects = Manifests.render(parts[0]);
        boolean tls = parts[1].equals("SSL");
        assertThat(bootstrapServers(objects)).endsWith(tls ? ":9093" : ":9092");
        for (JsonNode config : Manifests.ofKind(objects, "ConfigMap")) {
            if (!config.path("data").has("KAFKA_BOOTSTRAP_SERVERS")) {
                continue;
            }
            assertThat(config.path("data").path("KAFKA_SECURITY_PROTOCOL").asText("PLAINTEXT"))
                    .as(Manifests.name(config)).isEqualTo(parts[1]);
            if (tls) {
                String truststore = config.path("data").path("KAFKA_SSL_TRUSTSTORE_LOCATION").asText();
                for (JsonNode deployment : Manifests.ofKind(objects, "Deployment")) {
                    JsonNode pod = deployment.path("spec").path("template").path("spec");
                    JsonNode mount = StreamSupport.stream(pod.path("containers").get(0).path("volumeMounts").spliterator(), false)
                            .filter(m -> truststore.startsWith(m.path("mountPath").asText() + "/")).findFirst().orElseThrow(
                                    () -> new AssertionError(Manifests.name(deployment) + " does not mount " + truststore));
                    JsonNode volume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                            .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
                    assertThat(volume.path("secret").path("secretName").asText()).isEqualTo("herald-kafka-cluster-ca-cert");
                }
            }
        }
        for (JsonNode scaledObject : Manifests.ofKind(objects, "ScaledObject")) {
            JsonNode trigger = scaledObject.path("spec").path("triggers").get(0);
            assertThat(trigger.path("metadata").path("tls").asText("disable")).as(Manifests.name(scaledObject))
                    .isEqualTo(tls ? "enable" : "disable");
            if (tls) {
                String authentication = trigger.path("authenticationRef").path("name").asText();
                JsonNode triggerAuthentication = Manifests.ofKind(objects, "TriggerAuthentication").stream()
                        .filter(t -> Manifests.name(t).equals(authentication)).findFirst().orElseThrow();
                assertThat(triggerAuthentication.path("spec").path("secretTargetRef").toString())
                        .contains("\"parameter\":\"ca\"", "herald-kafka-cluster-ca-cert");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void noAutoscaledDeploymentSetsReplicasSoApplyNeverResetsTheScale(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        List<String> scaled = new java.util.ArrayList<>();
        Manifests.ofKind(objects, "ScaledObject").forEach(s -> scaled.add(s.path("spec").path("scaleTargetRef").path("name").asText()));
        Manifests.ofKind(objects, "HorizontalPodAutoscaler").forEach(h -> scaled.add(h.path("spec").path("scaleTargetRef").path("name").asText()));
        for (JsonNode deployment : Manifests.ofKind(objects, "Deployment")) {
            if (scaled.contains(Manifests.name(deployment))) {
                assertThat(deployment.path("spec").has("replicas")).as(Manifests.name(deployment)).isFalse();
            }
        }
        assertThat(scaled).contains("herald-ingest", "herald-router", "herald-notifier-spot-recreated");
    }

    private static List<JsonNode> notifierDeployments(List<JsonNode> objects) {
        return Manifests.ofKind(objects, "Deployment").stream().filter(d -> "herald-notifier".equals(
                d.path("spec").path("template").path("metadata").path("labels").path("app.kubernetes.io/name").asText()))
                .toList();
    }

    private static JsonNode kafkaTopic(List<JsonNode> objects, String topic) {
        return Manifests.ofKind(objects, "KafkaTopic").stream()
                .filter(t -> topic.equals(t.path("spec").path("topicName").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no KafkaTopic for " + topic));
    }

    private static String bootstrapServers(List<JsonNode> objects) {
        return Manifests.ofKind(objects, "ConfigMap").stream().filter(c -> Manifests.name(c).equals("herald-ingest-config"))
                .findFirst().orElseThrow().path("data").path("KAFKA_BOOTSTRAP_SERVERS").asText();
    }

    private static String env(JsonNode deployment, String name) {
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        return StreamSupport.stream(containers.get(0).path("env").spliterator(), false)
                .filter(e -> name.equals(e.path("name").asText())).map(e -> e.path("value").asText())
                .findFirst().orElse(null);
    }
}
