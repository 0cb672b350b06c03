package dev.herald.events;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * One way a body breaks the documented shape: where, as a JSON path into the body ({@code $.resources[0].region}),
 * and what a sender should change.
 */
public record Violation(String path, String message) {

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** Bean Validation violations on an event record, as JSON paths of the body, sorted by path. */
    public static List<Violation> of(Collection<? extends ConstraintViolation<?>> violations) {
        return violations.stream()
                .map(v -> new Violation(jsonPath(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Violation::path).thenComparing(Violation::message))
                .toList();
    }

    static String jsonPath(Path propertyPath) {
        StringBuilder path = new StringBuilder("$");
        for (Path.Node node : propertyPath) {
            if (node.isInIterable() && node.getIndex() != null) {
                path.append('[').append(node.getIndex()).append(']');
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                path.append('.').append(SNAKE_CASE.translate(node.getName()));
            }
        }
        return path.toString();
    }
}
