package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every rendered KEDA, Strimzi and Prometheus-operator object validates against the {@code openAPIV3Schema} of the
 * upstream CRD (copies in src/test/resources/crds, unmodified: see the README there).
 */
class CrdSchemaTest {

    private static final List<String> CRDS = List.of("scaledobjects.keda.sh.yaml", "triggerauthentications.keda.sh.yaml", "040-Crd-kafka.yaml",
            "043-Crd-kafkatopic.yaml", "045-Crd-kafkanodepool.yaml", "monitoring.coreos.com_prometheusrules.yaml",
            "monitoring.coreos.com_servicemonitors.yaml");
    private static final Map<String, JsonSchema> SCHEMAS = new HashMap<>();
    private static final Map<String, JsonNode> RAW_SCHEMAS = new HashMap<>();

    @BeforeAll
    static void loadSchemas() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        for (String file : CRDS) {
            try (InputStream in = CrdSchemaTest.class.getResourceAsStream("/crds/" + file)) {
                JsonNode crd = Manifests.YAML.readTree(in);
                String group = crd.path("spec").path("group").asText();
                String kind = crd.path("spec").path("names").path("kind").asText();
                for (JsonNode version : crd.path("spec").path("versions")) {
                    String key = group + "/" + version.path("name").asText() + "/" + kind;
                    JsonNode schema = version.path("schema").path("openAPIV3Schema");
                    SCHEMAS.put(key, factory.getSchema(schema));
                    RAW_SCHEMAS.put(key, schema);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod", "k8s/monitoring", "k8s/kafka"})
    void customResourcesValidateAgainstTheirCrds(String kustomization) {
        List<String> problems = new ArrayList<>();
        int validated = 0;
        for (JsonNode object : Manifests.render(kustomization)) {
            String apiVersion = object.path("apiVersion").asText();
            if (!apiVersion.contains("keda.sh") && !apiVersion.contains("strimzi.io") && !apiVersion.contains("coreos.com")) {
                continue;
            }
            JsonSchema schema = SCHEMAS.get(apiVersion + "/" + object.path("kind").asText());
            if (schema == null) {
                problems.add(object.path("kind").asText() + " " + Manifests.name(object) + ": no CRD serves " + apiVersion);
                continue;
            }
            Set<ValidationMessage> messages = schema.validate(object);
            messages.forEach(m -> problems.add(object.path("kind").asText() + " " + Manifests.name(object) + ": " + m.getMessage()));
            // The API server silently prunes fields a structural schema does not name: a typo would vanish.
            prunedFields(object, RAW_SCHEMAS.get(apiVersion + "/" + object.path("kind").asText()), "$", problems,
                    object.path("kind").asText() + " " + Manifests.name(object));
            validated++;
        }
        assertThat(validated).as("custom resources in %s", kustomization).isPositive();
        assertThat(problems).isEmpty();
    }

    private static void prunedFields(JsonNode value, JsonNode schema, String path, List<String> problems, String object) {
        if (schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isObject() && schema.has("properties")) {
            value.fieldNames().forEachRemaining(field -> {
                if (path.equals("$") && (field.equals("apiVersion") || field.equals("kind") || field.equals("metadata"))) {
                    return;
                }
                JsonNode property = schema.path("properties").get(field);
                if (property == null) {
                    problems.add(object + ": " + path + "." + field + " is not in the CRD's schema and would be pruned");
                } else {
                    prunedFields(value.get(field), property, path + "." + field, problems, object);
                }
            });
        } else if (value.isObject() && schema.has("additionalProperties")) {
            value.fields().forEachRemaining(e -> prunedFields(e.getValue(), schema.get("additionalProperties"),
                    path + "." + e.getKey(), problems, object));
        } else if (value.isArray() && schema.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                prunedFields(item, schema.get("items"), path + "[" + i++ + "]", problems, object);
            }
        }
    }
}
