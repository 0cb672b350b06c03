package dev.herald.router.routing;

import dev.herald.events.Topics;
import dev.herald.router.config.RouterConfig;
import dev.herald.router.state.ClusterBoundState;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The router's Kafka Streams topology: the raw topic and the rekeyed topic, one processor that routes and
 * deduplicates, and one sink per output topic. Run with {@code processing.guarantee=exactly_once_v2}, so each raw
 * record appears exactly once in its output topic for {@code read_committed} consumers, across crashes and restarts.
 *
 * <p>Both sources feed the one processor, so partition {@code p} of the raw topic and partition {@code p} of the
 * rekeyed topic are read by the same task, before the same stores: a record written to the rekeyed topic under a key
 * meets the raw records of that key there (same default partitioner, same partition count).
 */
@ApplicationScoped
public class RoutingTopology {

    static final String SEEN_IDS_STORE = "herald-seen-event-ids";
    static final String SEEN_BODIES_STORE = "herald-seen-bodies";
    private static final String SOURCE = "raw-webhooks";
    private static final String REKEYED_SOURCE = "rekeyed-webhooks";
    private static final String ROUTER = "route-and-deduplicate";

    /**
     * Built once: Quarkus asks for it just before it constructs KafkaStreams, which opens the local state; so the
     * state is checked against the cluster here first.
     */
    @Produces
    @Singleton
    Topology topology(RouterConfig config, RoutingMetrics metrics, Tracer tracer, ClusterBoundState state) {
        state.check();
        return build(new Topics(config.topicPrefix()), config.router().idDedupWindow(),
                config.router().bodyDedupWindow(), metrics, tracer);
    }

    static Topology build(Topics topics, Duration idWindow, Duration bodyWindow, RoutingMetrics metrics, Tracer tracer) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topics.raw());
        topology.addSource(REKEYED_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.routerRekeyed());
        topology.addProcessor(ROUTER, () -> new RawWebhookRouter(topics, idWindow, bodyWindow, metrics, tracer),
                SOURCE, REKEYED_SOURCE);
        // Kept for twice the window: a copy that arrives behind stream time (a catch-up, the rekeyed hop) still finds its
        // original. Id → the SHA-256 of its body (a timestamp in stores written before the body was kept: unknown).
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_IDS_STORE, idWindow.multipliedBy(2), idWindow, false),
                Serdes.String(), Serdes.String()), ROUTER);
        topology.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_BODIES_STORE, bodyWindow.multipliedBy(2), bodyWindow, false),
                Serdes.String(), Serdes.Long()), ROUTER);
        for (String topic : topics.eventTopics()) {
            addSink(topology, topic);
        }
        addSink(topology, topics.routerDeadLetter());
        addSink(topology, topics.routerRekeyed());
        return topology;
    }

    private static void addSink(Topology topology, String topic) {
        topology.addSink(sinkFor(topic), topic, Serdes.String().serializer(), Serdes.ByteArray().serializer(), ROUTER);
    }

    static String sinkFor(String topic) {
        return "to-" + topic;
    }
}
