package dev.herald.console.web;

import dev.herald.console.config.ConsoleConfig;
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
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Search for events, and one event's journey. */
@Path("/events")
public class EventsResource {

    static final int LIMIT = 200;

    /** A search and what it found (the newest first, at most {@link #LIMIT}). */
    public record Search(String id, String type, String account, String from, String to, List<Journey> found) {
    }

    /**
     * One journey, where it is now, the event the router routed in its place when it is a copy of one sent without an
     * id (or null), and its still-dead letters, for the page.
     */
    public record Page(Journey journey, String now, String routedCopy, String body, List<DeadLetter> deadLetters) {
    }

    @CheckedTemplate
    static class Templates {
        /** {@code now}: where each found event is now, by its id. */
        static native TemplateInstance events(Search search, Map<String, String> now);

        static native TemplateInstance event(Page page);
    }

    private final JourneyIndex index;
    private final Duration routerBodyWindow;

    EventsResource(JourneyIndex index, ConsoleConfig config) {
        this.index = index;
        this.routerBodyWindow = config.console().routerBodyWindow();
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
        Search search = search(id, type, account, from, to);
        Map<String, String> now = new HashMap<>();
        search.found().forEach(journey -> now.put(journey.eventId(), whereNow(journey)));
        return Templates.events(search, now);
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
        String routedCopy = index.routedCopyOf(journey, routerBodyWindow).orElse(null);
        return Templates.event(new Page(journey, journey.whereNow(routedCopy), routedCopy, body,
                DeadLetter.of(journey, Instant.now())));
    }

    private String whereNow(Journey journey) {
        return journey.whereNow(index.routedCopyOf(journey, routerBodyWindow).orElse(null));
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
