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
        Manifests.ofKind(objects, "ConfigMap").stream().map(c -> c.path("data").path("kafka.bootstrap.servers"))
                .filter(JsonNode::isTextual).forEach(a -> addresses.add(a.asText()));
        Manifests.ofKind(objects, "ScaledObject").forEach(s -> addresses.add(
                s.path("spec").path("triggers").get(0).path("metadata").path("bootstrapServers").asText()));

        assertThat(addresses).hasSizeGreaterThan(10).containsOnly(addresses.get(0));
        assertThat(addresses.get(0)).startsWith("herald-kafka-kafka-bootstrap.kafka:");
    }

    private static String env(JsonNode deployment, String name) {
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        return StreamSupport.stream(containers.get(0).path("env").spliterator(), false)
                .filter(e -> name.equals(e.path("name").asText())).map(e -> e.path("value").asText())
                .findFirst().orElse(null);
    }
}
