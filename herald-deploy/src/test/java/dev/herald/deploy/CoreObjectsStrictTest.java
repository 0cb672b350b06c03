package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Core objects parse into fabric8's typed Kubernetes model with no field left over: the model keeps fields it does
 * not know in {@code additionalProperties}, so a misspelt or misplaced field shows up there, and fails here.
 */
class CoreObjectsStrictTest {

    private static final Map<String, Class<?>> TYPES = Map.of(
            "Namespace", Namespace.class, "ConfigMap", ConfigMap.class, "Secret", Secret.class,
            "Service", Service.class, "Deployment", Deployment.class, "PodDisruptionBudget", PodDisruptionBudget.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class, "NetworkPolicy", NetworkPolicy.class,
            "Ingress", Ingress.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void coreObjectsHaveNoFieldTheModelDoesNotKnow(String overlay) throws Exception {
        List<String> unknown = new ArrayList<>();
        int parsed = 0;
        for (JsonNode object : Manifests.render(overlay)) {
            Class<?> type = TYPES.get(object.path("kind").asText());
            if (type == null) {
                continue;
            }
            Object typed = JSON.treeToValue(object, type);
            collectUnknown(typed, object.path("kind").asText() + " " + Manifests.name(object), unknown);
            parsed++;
        }
        assertThat(parsed).isGreaterThan(10);
        assertThat(unknown).isEmpty();
    }

    private static void collectUnknown(Object value, String path, List<String> unknown) throws Exception {
        if (value == null || !value.getClass().getName().startsWith("io.fabric8")) {
            if (value instanceof Collection<?> items) {
                int i = 0;
                for (Object item : items) {
                    collectUnknown(item, path + "[" + i++ + "]", unknown);
                }
            } else if (value instanceof Map<?, ?> map) {
                for (var entry : map.entrySet()) {
                    collectUnknown(entry.getValue(), path + "." + entry.getKey(), unknown);
                }
            }
            return;
        }
        for (PropertyDescriptor property : Introspector.getBeanInfo(value.getClass()).getPropertyDescriptors()) {
            Method getter = property.getReadMethod();
            if (getter == null || getter.getParameterCount() > 0 || property.getName().equals("class")) {
                continue;
            }
            Object child = getter.invoke(value);
            if (property.getName().equals("additionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": unknown fields " + extra.keySet());
                }
            } else {
                collectUnknown(child, path + "." + property.getName(), unknown);
            }
        }
    }
}
