package dev.herald.console.web;

import dev.herald.console.journey.JourneyIndex;
import dev.herald.console.journey.TopicFollower;
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
    public record Front(List<LagBoard.Row> lag, Map<String, Long> lastHourByType, long events, String keptFor,
            long indexBytes, long forgottenToFit) {

        /** The index's size on disk (and in its write buffers), for people. */
        public String indexMegabytes() {
            return indexBytes < 0 ? "an unknown number of" : String.format(java.util.Locale.ROOT, "%.1f", indexBytes / 1048576.0);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(Front front);
    }

    private final LagBoard lag;
    private final JourneyIndex index;
    private final TopicFollower follower;

    HomeResource(LagBoard lag, JourneyIndex index, TopicFollower follower) {
        this.lag = lag;
        this.index = index;
        this.follower = follower;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Front json() {
        String keptFor = follower.retention().map(kept -> humane(kept) + " after its last step (the topics' retention)")
                .orElse("never (a topic keeps its records for good, or its retention could not be read)");
        return new Front(lag.rows(), index.acceptedByType(Instant.now().minus(Duration.ofHours(1))), index.size(),
                keptFor, index.bytesOnDisk(), follower.forgottenToFit());
    }

    private static String humane(Duration duration) {
        return duration.toHours() >= 48 ? duration.toDays() + " days"
                : duration.toMinutes() >= 120 ? duration.toHours() + " hours" : duration.toMinutes() + " minutes";
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance html() {
        return Templates.home(json());
    }
}
