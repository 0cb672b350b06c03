package dev.herald.notifier.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventType;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.notifier.it.EventPublisher;
import dev.herald.notifier.it.NotifierTestResource;
import dev.herald.notifier.it.TestSinks;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Each delivery's span (around the SMTP or Slack call) is a child of the router's span, in the ingest's trace. */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = NotifierTestResource.class, scope = TestResourceScope.GLOBAL)
class TracingIT {

    /** The traceparent the EventPublisher puts on every event: the router's span in the ingest's trace. */
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String ROUTER_SPAN = "b7ad6b7169203331";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    InMemorySpanExporter spans;

    TestSinks sinks;

    @Test
    void deliverySpansJoinTheEventsTrace() {
        try (EventPublisher publisher = new EventPublisher(bootstrapServers)) {
            publisher.publish("trial-period-ending", "traced-notify-1", DocumentedExamples.of(EventType.TRIAL_PERIOD_ENDING));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sinks.mailsOf("traced-notify-1").size() == 1
                && sinks.slackRequests("/hooks/ops", "traced-notify-1").size() == 1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(span -> "traced-notify-1".equals(span.getAttributes().get(
                        io.opentelemetry.api.common.AttributeKey.stringKey("herald.event.id"))))
                .extracting(span -> span.getName() + " " + span.getTraceId() + " " + span.getParentSpanId())
                // A span per attempt: a first attempt that timed out on a loaded machine, then succeeded, makes two,
                // both in the event's trace.
                .containsOnly("deliver email " + TRACE + " " + ROUTER_SPAN, "deliver slack " + TRACE + " " + ROUTER_SPAN));
    }
}
