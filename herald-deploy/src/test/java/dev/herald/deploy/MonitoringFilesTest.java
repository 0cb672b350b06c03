package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The alert rules and the dashboard query only metrics Herald exports, as docs/metrics.md lists them. */
class MonitoringFilesTest {

    private static final Pattern HERALD_METRIC = Pattern.compile("\\b(herald_[a-z_]+)");
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `(herald_[a-z_]+)` \\|", Pattern.MULTILINE);

    @Test
    void everyMetricTheRulesAndTheDashboardQueryIsDocumentedAsExported() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher doc = DOCUMENTED.matcher(Files.readString(Manifests.ROOT.resolve("docs/metrics.md")));
        while (doc.find()) {
            documented.add(doc.group(1));
        }
        assertThat(documented).hasSizeGreaterThanOrEqualTo(12);

        List<String> expressions = new ArrayList<>();
        JsonNode rule = Manifests.YAML.readTree(Manifests.ROOT.resolve("k8s/monitoring/prometheus-rule.yaml").toFile());
        rule.path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> expressions.add(r.path("expr").asText())));
        JsonNode dashboard = new ObjectMapper().readTree(Manifests.ROOT.resolve("k8s/monitoring/grafana/herald-dashboard.json").toFile());
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));

        Set<String> queried = new TreeSet<>();
        for (String expression : expressions) {
            Matcher metric = HERALD_METRIC.matcher(expression);
            while (metric.find()) {
                queried.add(metric.group(1).replaceAll("_(bucket|count|sum|max)$", ""));
            }
        }
        assertThat(queried).hasSizeGreaterThanOrEqualTo(8);
        assertThat(documented).containsAll(queried);
    }

    @Test
    void composePrometheusLoadsTheSameRulesAsThePrometheusRule() throws IOException {
        JsonNode rule = Manifests.YAML.readTree(Manifests.ROOT.resolve("k8s/monitoring/prometheus-rule.yaml").toFile());
        JsonNode compose = Manifests.YAML.readTree(Manifests.ROOT.resolve("ops/prometheus/herald-rules.yaml").toFile());

        assertThat(compose.path("groups")).isEqualTo(rule.path("spec").path("groups"));
        assertThat(Files.exists(Manifests.ROOT.resolve("k8s/monitoring/grafana/herald-dashboard.json"))).isTrue();
    }
}
