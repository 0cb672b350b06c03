package dev.herald.router.routing;

import dev.herald.events.Topics;
import dev.herald.router.config.RouterConfig;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The router's Kafka Streams topology: the raw topic, one processor that routes and deduplicates, and one sink per
 * output topic. Run with {@code processing.guarantee=exactly_once_v2}, so each raw record appears exactly once in
 * its output topic for {@code read_committed} consumers, across crashes and restarts.
 */
@ApplicationScoped
public class RoutingTopology {

    static final String SEEN_IDS_STORE = "herald-seen-event-ids";
    static final String SEEN_BODIES_STORE = "herald-seen-bodies";
    private static final String SOURCE = "raw-webhooks";
    private static final String ROUTER = "route-and-deduplicate";

    @Produces
    Topology topology(RouterConfig config, RoutingMetrics metrics, Tracer tracer) {
        return build(new Topics(config.topicPrefix()), config.router().idDedupWindow(),
                config.router().bodyDedupWindow(), metrics, tracer);
    }

    static Topology build(Topics topics, Duration idWindow, Duration bodyWindow, RoutingMetrics metrics, Tracer tracer) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.raw());
        topology.addProcessor(ROUTER, () -> new RawWebhookRouter(topics, idWindow, bodyWindow, metrics, tracer), SOURCE);
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_IDS_STORE, idWindow, idWindow, false),
                Serdes.String(), Serdes.Long()), ROUTER);
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_BODIES_STORE, bodyWindow, bodyWindow, false),
                Serdes.String(), Serdes.Long()), ROUTER);
        for (String topic : topics.eventTopics()) {
            topology.addSink(sinkFor(topic), topic, Serdes.String().serializer(), Serdes.ByteArray().serializer(), ROUTER);
        }
        String deadLetter = topics.routerDeadLetter();
        topology.addSink(sinkFor(deadLetter), deadLetter, Serdes.String().serializer(), Serdes.ByteArray().serializer(), ROUTER);
        return topology;
    }

    static String sinkFor(String topic) {
        return "to-" + topic;
    }
}
