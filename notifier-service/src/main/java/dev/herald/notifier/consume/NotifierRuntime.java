package dev.herald.notifier.consume;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.events.Topics;
import dev.herald.lag.ConsumerLagGauges;
import dev.herald.notifier.config.NotifierConfig;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.Deliverer;
import dev.herald.notifier.delivery.DeliveryRecords;
import dev.herald.notifier.delivery.NotifierMetrics;
import dev.herald.notifier.delivery.SentLedger;
import dev.herald.notifier.route.Route;
import dev.herald.notifier.route.RouteTable;
import dev.herald.notifier.route.RoutesFile;
import dev.herald.notifier.route.RoutesFileException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Starts the notifier: checks the routes file against the channels (a bad file stops the start-up, naming the route
 * and field), makes sure the notifier's topics exist, loads the sent ledger, then starts one consumer per configured
 * event type and one for retries.
 */
@Singleton
public class NotifierRuntime {

    private static final Logger LOG = Logger.getLogger(NotifierRuntime.class);

    private final List<RecordLoop> loops = new ArrayList<>();
    private final NotifierConfig config;
    private final Map<String, Object> kafkaConfig;
    private final Deliverer deliverer;
    private final DeliveryRecords records;
    private final SentLedger ledger;
    private final NotifierMetrics metrics;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private ConsumerLagGauges lag;

    NotifierRuntime(NotifierConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            Deliverer deliverer, DeliveryRecords records, SentLedger ledger, NotifierMetrics metrics, ObjectMapper mapper,
            MeterRegistry registry) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.deliverer = deliverer;
        this.records = records;
        this.ledger = ledger;
        this.metrics = metrics;
        this.mapper = mapper;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        RouteTable routes = new RouteTable(RoutesFile.read(config.routes(), RoutesFile.systemEnvironment(),
                deliverer.channels().keySet()), deliverer.channels());
        Topics topics = new Topics(config.topicPrefix());
        if (config.notifier().createTopics()) {
            NotifierTopics.createMissing(kafkaConfig, topics, config.notifier().sentRetention());
        }
        ledger.start();
        for (String topic : consumedTopics(topics)) {
            String type = topic.substring(topic.lastIndexOf('.') + 1);
            loops.add(new EventConsumer(new RecordLoop.Settings(topic, config.notifier().groupPrefix() + "-" + type,
                    kafkaConfig, ledger, registry), routes, deliverer, metrics));
        }
        if (config.notifier().consumeRetries()) {
            loops.add(new RetryConsumer(new RecordLoop.Settings(topics.deliveries(),
                    config.notifier().groupPrefix() + "-retry", kafkaConfig, ledger, registry), routes, deliverer, records, mapper));
        }
        loops.forEach(RecordLoop::start);
        lag = new ConsumerLagGauges(kafkaConfig,
                loops.stream().map(loop -> new ConsumerLagGauges.GroupTopic(loop.groupId(), loop.topic())).toList(),
                registry, config.lag().interval());
        LOG.infof("Notifier consuming %s with %d routes", loops.stream().map(RecordLoop::topic).toList(),
                routes.routes().size());
    }

    void stop(@Observes ShutdownEvent event) {
        loops.forEach(RecordLoop::stop);
        if (lag != null) {
            lag.close();
        }
    }

    /**
     * Stops consuming the topics of these types ({@code unknown}, {@code retry} included) until {@link #resume}; the
     * consumer groups keep their partitions, so their lag grows and shows.
     */
    public void pause(String... types) {
        loopsOf(types).forEach(RecordLoop::pause);
    }

    public void resume(String... types) {
        loopsOf(types).forEach(RecordLoop::resume);
    }

    private List<RecordLoop> loopsOf(String... types) {
        List<String> groups = java.util.Arrays.stream(types).map(type -> config.notifier().groupPrefix() + "-" + type).toList();
        return loops.stream().filter(loop -> groups.contains(loop.groupId())).toList();
    }

    /** Every consumer thread runs; the readiness and liveness checks read this. */
    public boolean consumersRunning() {
        return !loops.isEmpty() && loops.stream().allMatch(RecordLoop::isHealthy);
    }

    public List<String> consumerGroups() {
        return loops.stream().map(RecordLoop::groupId).toList();
    }

    List<String> consumedTopics(Topics topics) {
        List<String> types = config.notifier().types();
        if (types.size() == 1 && types.get(0).equals("all")) {
            return topics.eventTopics();
        }
        if (types.size() == 1 && types.get(0).equals("none")) {
            return List.of();
        }
        List<String> consumed = new ArrayList<>();
        for (String type : types) {
            String topic = type.equals(Topics.UNKNOWN) ? topics.unknownEvents() : topics.forType(type);
            if (!type.equals(Topics.UNKNOWN) && topic.equals(topics.unknownEvents())) {
                throw new IllegalStateException("herald.notifier.types: \"" + type + "\" is not a documented Uniskai "
                        + "type; use one of the types, \"unknown\", or \"all\"");
            }
            consumed.add(topic);
        }
        return consumed;
    }

}
