package dev.herald.ingest.publish;

/** The queue of sends waiting for the producer is full: the webhook was not handed to Kafka at all. */
public final class PublishQueueFull extends RuntimeException {

    PublishQueueFull() {
        super("the queue of webhooks waiting for Kafka is full", null, false, false);
    }
}
