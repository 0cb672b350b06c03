package dev.herald.console.web;

import dev.herald.console.journey.JourneyIndex;
import dev.herald.console.lag.LagBoard;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The front page: lag per consumer group and topic, and the last hour's events per type. */
@Path("/")
public class HomeResource {

    /** What the front page shows, as JSON too. */
    public record Front(List<LagBoard.Row> lag, Map<String, Long> lastHourByType, int events) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Front front);
    }

    private final LagBoard lag;
    private final JourneyIndex index;

    HomeResource(LagBoard lag, JourneyIndex index) {
        this.lag = lag;
        this.index = index;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Front json() {
        return new Front(lag.rows(), index.acceptedByType(Instant.now().minus(Duration.ofHours(1))), index.size());
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance html() {
        return Templates.home(json());
    }
}
