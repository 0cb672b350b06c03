package dev.herald.router.routing;

/** Why the router could not route a raw record; the value of its {@code herald_error} header and metric tag. */
enum DeadLetterReason {
    /** The body is not a JSON object with a string {@code type}. */
    MALFORMED_BODY("malformed-body"),
    /** The record has no {@code ce_id} header, so it cannot be deduplicated or traced. */
    MISSING_EVENT_ID("missing-event-id"),
    /** The record is larger than any the ingest writes: dead-lettered without its body ({@link RawWebhookRouter}). */
    TOO_LARGE("too-large");

    final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }
}
