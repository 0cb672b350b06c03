package dev.herald.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects one {@code kubectl kustomize} printed, with the look-ups a kubelet, a Service and an Ingress
 * controller would make: a ConfigMap's data, which Deployments a Service selects, where an Ingress path leads.
 */
record RenderedCluster(List<JsonNode> objects) {

    List<JsonNode> ofKind(String kind) {
        return Manifests.ofKind(objects, kind);
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> Manifests.name(o).equals(name)).findFirst();
    }

    /** A ConfigMap's data, or empty when no ConfigMap of that name was rendered. */
    Optional<Map<String, String>> configMapData(String name) {
        return find("ConfigMap", name).map(configMap -> strings(configMap.path("data")));
    }

    /** The Deployments whose pods carry every label of {@code selector}. */
    List<JsonNode> deploymentsSelectedBy(JsonNode selector) {
        return ofKind("Deployment").stream()
                .filter(d -> matches(d.path("spec").path("template").path("metadata").path("labels"), selector))
                .toList();
    }

    /** The Services whose own labels carry every label of {@code selector} (as a ServiceMonitor selects them). */
    List<JsonNode> servicesLabelled(JsonNode selector) {
        return ofKind("Service").stream().filter(s -> matches(s.path("metadata").path("labels"), selector)).toList();
    }

    /**
     * The Service and the name of its target port that the Ingresses send a request for {@code host} and {@code path}
     * to, as a controller chooses: the rules of that host (or of none), then the longest {@code Prefix} path that
     * matches whole path elements.
     */
    IngressBackend ingressBackend(String host, String path) {
        JsonNode chosen = null;
        int longest = -1;
        for (JsonNode ingress : ofKind("Ingress")) {
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                if (rule.has("host") && !rule.path("host").asText().equals(host)) {
                    continue;
                }
                for (JsonNode candidate : rule.path("http").path("paths")) {
                    String prefix = candidate.path("path").asText();
                    String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
                    boolean matches = path.equals(trimmed) || path.startsWith(trimmed + "/");
                    if (matches && trimmed.length() > longest) {
                        chosen = candidate;
                        longest = trimmed.length();
                    }
                }
            }
        }
        if (chosen == null) {
            throw new AssertionError("no Ingress rule serves " + host + path);
        }
        JsonNode service = chosen.path("backend").path("service");
        JsonNode target = find("Service", service.path("name").asText()).orElseThrow(
                () -> new AssertionError("the Ingress points at a Service that was not rendered: " + service));
        JsonNode port = portOf(target, service.path("port"));
        return new IngressBackend(target, port.path("targetPort").asText());
    }

    record IngressBackend(JsonNode service, String targetPort) {
    }

    private static JsonNode portOf(JsonNode service, JsonNode reference) {
        for (JsonNode port : service.path("spec").path("ports")) {
            if (reference.has("name") && port.path("name").asText().equals(reference.path("name").asText())
                    || reference.has("number") && port.path("port").asInt() == reference.path("number").asInt()) {
                return port;
            }
        }
        throw new AssertionError("Service " + Manifests.name(service) + " has no port " + reference);
    }

    static boolean matches(JsonNode labels, JsonNode selector) {
        JsonNode matchLabels = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
        var fields = matchLabels.fields();
        while (fields.hasNext()) {
            var label = fields.next();
            if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }
}
