package dev.herald.ingest.webhook;

/** Whether a request proved it comes from a sender Herald trusts, and how; a refusal says why, without secrets. */
sealed interface Authentication {

    record Accepted(String method) implements Authentication {
    }

    record Refused(String reason) implements Authentication {
    }
}
