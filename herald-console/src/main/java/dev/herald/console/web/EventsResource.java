package dev.herald.console.web;

import dev.herald.console.journey.Journey;
import dev.herald.console.journey.JourneyIndex;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Search for events, and one event's journey. */
@Path("/events")
public class EventsResource {

    static final int LIMIT = 200;

    /** A search and what it found (the newest first, at most {@link #LIMIT}). */
    public record Search(String id, String type, String account, String from, String to, List<Journey> found) {
    }

    /** One journey and its still-dead letters, for the page. */
    public record Page(Journey journey, String body, List<DeadLetter> deadLetters) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance events(Search search);

        static native TemplateInstance event(Page page);
    }

    private final JourneyIndex index;

    EventsResource(JourneyIndex index) {
        this.index = index;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Search search(@QueryParam("id") String id, @QueryParam("type") String type,
            @QueryParam("account") String account, @QueryParam("from") String from, @QueryParam("to") String to) {
        List<Journey> found = id != null && !id.isBlank()
                ? index.journey(id.trim()).stream().toList()
                : index.search(new JourneyIndex.Criteria(type, account, time("from", from), time("to", to), LIMIT));
        return new Search(id, type, account, from, to, found);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance searchPage(@QueryParam("id") String id, @QueryParam("type") String type,
            @QueryParam("account") String account, @QueryParam("from") String from, @QueryParam("to") String to) {
        return Templates.events(search(id, type, account, from, to));
    }

    @GET
    @Path("{id: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Journey journey(@PathParam("id") String id) {
        return index.journey(id).orElseThrow(() -> new NotFoundException("no event " + id + " on Herald's topics"));
    }

    @GET
    @Path("{id: .+}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance journeyPage(@PathParam("id") String id) {
        Journey journey = journey(id);
        String body = journey.accepted().or(journey::routerDeadLetter).or(journey::unreadableByNotifier)
                .map(step -> PrettyJson.of(step.body())).orElse(null);
        return Templates.event(new Page(journey, body, DeadLetter.of(journey, Instant.now())));
    }

    /** An RFC 3339 instant, or a browser's datetime-local (read as UTC). */
    static Instant time(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                throw new BadRequestException(name + " must be a time such as 2026-11-28T08:00:00Z");
            }
        }
    }
}
