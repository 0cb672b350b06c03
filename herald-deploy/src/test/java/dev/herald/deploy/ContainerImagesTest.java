package dev.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The images {@code ./mvnw package -Dquarkus.container-image.push=true} makes are the images the rendered overlays
 * run. No image is built here (no registry, no Docker daemon): the names are read from the build's configuration,
 * where they are set once — the root pom.xml's {@code herald.image.registry} and {@code herald.image.tag}, and its
 * {@code quarkus-service} profile's {@code quarkus.container-image.image}, which Quarkus reads from the Maven project's
 * properties — and interpolated as Maven does for each service module.
 */
class ContainerImagesTest {

    private static final String PROFILE = "quarkus-service";
    private static final String IMAGE_PROPERTY = "quarkus.container-image.image";

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/prod"})
    void everyHeraldContainerRunsAnImageTheBuildMakesAndEveryImageIsRun(String overlay) {
        Set<String> run = new TreeSet<>();
        Manifests.render(overlay).forEach(object -> collectImages(object, run));

        // Both ways: a pod must not wait for an image nobody pushes, and a service the build packs must be deployed.
        assertThat(run.stream().filter(image -> image.contains("herald/")))
                .as("images of Herald's containers in %s, against the images the build makes", overlay)
                .containsExactlyInAnyOrderElementsOf(builtImages().values());
    }

    @Test
    void eachServiceIsNamedRegistryHeraldServiceTag() throws Exception {
        Element properties = child(rootPom().getDocumentElement(), "properties");
        String registry = text(properties, "herald.image.registry");
        String tag = text(properties, "herald.image.tag");

        Map<String, String> built = builtImages();
        assertThat(built).containsKeys("ingest-service", "router-service", "notifier-service");
        built.forEach((service, image) -> assertThat(image).isEqualTo(registry + "/herald/" + service + ":" + tag));
    }

    @Test
    void imagesAreBuiltOnlyOnRequestAndConfiguredOnlyInTheRootPom() throws Exception {
        Element profile = quarkusServiceProfile();
        assertThat(text(child(profile, "properties"), "quarkus.container-image.build")).isEqualTo("false");
        for (String module : builtImages().keySet()) {
            Properties application = new Properties();
            try (var in = Files.newInputStream(applicationProperties(Manifests.ROOT.resolve(module)))) {
                application.load(in);
            }
            // A value in application.properties would compete with the pom's; the pom is the one place.
            assertThat(application.stringPropertyNames())
                    .as("%s's application.properties", module)
                    .noneMatch(key -> key.replaceFirst("^%[^.]+\\.", "").startsWith("quarkus.container-image.")
                            || key.replaceFirst("^%[^.]+\\.", "").startsWith("quarkus.jib."));
        }
    }

    /**
     * Service module (artifactId) → image: every module of the root pom the {@code quarkus-service} profile applies
     * to (it is activated by an application.properties), with the profile's image property interpolated.
     */
    private static Map<String, String> builtImages() {
        try {
            Document pom = rootPom();
            Element properties = child(pom.getDocumentElement(), "properties");
            String template = text(child(quarkusServiceProfile(), "properties"), IMAGE_PROPERTY);
            Map<String, String> images = new TreeMap<>();
            NodeList modules = child(pom.getDocumentElement(), "modules").getElementsByTagName("module");
            for (int i = 0; i < modules.getLength(); i++) {
                Path module = Manifests.ROOT.resolve(modules.item(i).getTextContent().trim());
                if (!Files.exists(applicationProperties(module))) {
                    continue;
                }
                String artifactId = text(parse(module.resolve("pom.xml")).getDocumentElement(), "artifactId");
                String image = template
                        .replace("${herald.image.registry}", text(properties, "herald.image.registry"))
                        .replace("${herald.image.tag}", text(properties, "herald.image.tag"))
                        .replace("${project.artifactId}", artifactId);
                assertThat(image).as("%s, interpolated for %s", IMAGE_PROPERTY, artifactId).doesNotContain("${");
                images.put(artifactId, image);
            }
            return images;
        } catch (Exception e) {
            throw new AssertionError("cannot read the image names from pom.xml", e);
        }
    }

    private static void collectImages(JsonNode node, Set<String> images) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if ((field.getKey().equals("containers") || field.getKey().equals("initContainers"))
                        && field.getValue().isArray()) {
                    field.getValue().forEach(container -> images.add(container.path("image").asText()));
                }
                collectImages(field.getValue(), images);
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectImages(element, images));
        }
    }

    private static Element quarkusServiceProfile() throws Exception {
        NodeList profiles = child(rootPom().getDocumentElement(), "profiles").getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (PROFILE.equals(text(profile, "id"))) {
                return profile;
            }
        }
        throw new AssertionError("pom.xml has no profile " + PROFILE);
    }

    private static Path applicationProperties(Path module) {
        return module.resolve("src/main/resources/application.properties");
    }

    private static Document rootPom() throws Exception {
        return parse(Manifests.ROOT.resolve("pom.xml"));
    }

    private static Document parse(Path pom) throws Exception {
        try (var in = Files.newInputStream(pom)) {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + pom, e);
        }
    }

    /** The direct child element {@code name} of {@code parent}. */
    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().trim();
    }
}
