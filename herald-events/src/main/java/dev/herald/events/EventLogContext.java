package dev.herald.events;

import org.jboss.logging.MDC;

/**
 * Puts an event's id, type and trace id into the logging context for the lines logged while it is handled, so every
 * line about an event can be found by any of the three (the JSON log format prints them as {@code mdc} fields).
 *
 * <pre>try (var context = EventLogContext.of(id, type, traceparent)) { ... }</pre>
 */
public final class EventLogContext implements AutoCloseable {

    public static final String EVENT_ID = "eventId";
    public static final String EVENT_TYPE = "eventType";
    public static final String TRACE_ID = "traceId";

    private EventLogContext() {
    }

    public static EventLogContext of(String eventId, String type, String traceparent) {
        put(EVENT_ID, eventId);
        put(EVENT_TYPE, type);
        put(TRACE_ID, traceIdOf(traceparent));
        return new EventLogContext();
    }

    /** The trace id of a W3C traceparent ({@code 00-<trace id>-<span id>-<flags>}), or null. */
    static String traceIdOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        return parts.length == 4 && parts[1].length() == 32 ? parts[1] : null;
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        MDC.remove(EVENT_ID);
        MDC.remove(EVENT_TYPE);
        MDC.remove(TRACE_ID);
    }
}
