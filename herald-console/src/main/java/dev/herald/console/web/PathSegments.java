package dev.herald.console.web;

import io.quarkus.qute.TemplateExtension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code {value.pathSegment}} in a template: a value made safe as one segment of a link's path. An event id may hold
 * any visible character ({@code /}, {@code ?}, {@code #} included), and so may the console's own ids of records
 * without one ({@code unidentified:<topic>/<partition>@<offset>}); HTML escaping alone would leave them breaking
 * the link.
 */
@TemplateExtension
final class PathSegments {

    private PathSegments() {
    }

    static String pathSegment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code {value.queryValue}}: the same for a query parameter's value (a type posted by a sender may hold {@code &}). */
    static String queryValue(String value) {
        return pathSegment(value);
    }
}
