package dev.herald.console.web;

import dev.herald.console.journey.JourneyIndex;
import dev.herald.console.journey.TopicFollower;
import dev.herald.console.replay.Replayer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Both dead-letter topics, filtered by reason; replay of one, a selection, or every one of a reason. */
@Path("/dead-letters")
public class DeadLettersResource {

    /** The listing, as JSON too. */
    public record Listing(String reason, Set<String> reasons, List<DeadLetter> deadLetters, Integer replayed) {
    }

    /** What a replay did. */
    public record Replayed(List<String> replayed, List<String> skipped) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deadLetters(Listing listing);
    }

    private final JourneyIndex index;
    private final Replayer replayer;
    private final TopicFollower follower;

    DeadLettersResource(JourneyIndex index, Replayer replayer, TopicFollower follower) {
        this.index = index;
        this.replayer = replayer;
        this.follower = follower;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Listing list(@QueryParam("reason") String reason, @QueryParam("replayed") Integer replayed) {
        Instant now = Instant.now();
        List<DeadLetter> all = new ArrayList<>();
        index.forEachWithDeadLetter(journey -> all.addAll(DeadLetter.of(journey, now)));
        all.sort(Comparator.comparing(DeadLetter::at, Comparator.nullsLast(Comparator.reverseOrder())));
        Set<String> reasons = new TreeSet<>();
        all.forEach(letter -> reasons.add(String.valueOf(letter.reason())));
        List<DeadLetter> shown = reason == null || reason.isBlank() ? all
                : all.stream().filter(letter -> reason.equals(String.valueOf(letter.reason()))).toList();
        return new Listing(reason, reasons, shown, replayed);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@QueryParam("reason") String reason, @QueryParam("replayed") Integer replayed) {
        return Templates.deadLetters(list(reason, replayed));
    }

    @POST
    @Path("replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Replayed replay(@FormParam("delivery") List<String> deliveries, @FormParam("reason") String reason) {
        if (!follower.caughtUp()) {
            // Until the topics are read, a delivery sent or replayed already could still look dead.
            throw new WebApplicationException(Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .type(MediaType.TEXT_PLAIN).entity("The console is still reading Herald's topics: replay in a moment.")
                    .build());
        }
        Replayer.Result result = replayer.replay(delivery -> deliveries != null && deliveries.contains(delivery.deliveryId())
                || reason != null && !reason.isBlank() && reason.equals(delivery.deadLetterReason()));
        return new Replayed(result.replayed(), result.skipped());
    }

    @POST
    @Path("replay")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response replayFromPage(@FormParam("delivery") List<String> deliveries, @FormParam("reason") String reason) {
        Replayed result = replay(deliveries, reason);
        return Response.seeOther(UriBuilder.fromPath("/dead-letters").queryParam("replayed", result.replayed().size()).build())
                .build();
    }
}
