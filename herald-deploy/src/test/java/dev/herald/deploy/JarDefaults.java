package dev.herald.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** The {@code application.properties} packaged inside a Quarkus fast-jar: what a pod runs with unless told otherwise. */
final class JarDefaults {

    private JarDefaults() {
    }

    /** {@code quarkus-app/quarkus-run.jar} → the application jar in {@code quarkus-app/app/} → its properties. */
    static Properties of(Path quarkusRunJar) {
        Path app = quarkusRunJar.getParent().resolve("app");
        try (Stream<Path> jars = Files.list(app)) {
            Path jar = jars.filter(p -> p.toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no application jar in " + app));
            try (JarFile file = new JarFile(jar.toFile())) {
                var entry = file.getJarEntry("application.properties");
                if (entry == null) {
                    throw new AssertionError(jar + " holds no application.properties");
                }
                Properties properties = new Properties();
                try (InputStream in = file.getInputStream(entry)) {
                    properties.load(in);
                }
                return properties;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
