package dev.herald.notifier.consume;

import dev.herald.events.Topics;
import dev.herald.lag.ConsumerLagGauges;
import dev.herald.notifier.config.NotifierConfig;
import dev.herald.notifier.delivery.Backoff;
import dev.herald.notifier.delivery.Channel;
import dev.herald.notifier.delivery.DeliveryRecords;
import dev.herald.notifier.delivery.DeliveryStage;
import dev.herald.notifier.delivery.NotifierMetrics;
import dev.herald.notifier.fanout.FanOut;
import dev.herald.notifier.kafka.NotifierClients;
import dev.herald.notifier.route.RouteTable;
import dev.herald.notifier.route.RoutesFile;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.jboss.logging.Logger;

/**
 * Starts the notifier: reads and checks the routes file against the channels (a bad file stops the start-up, naming
 * the route and field), makes sure the notifier's topics exist and the deliveries and done marks are co-partitioned,
 * then starts one fan-out per configured event type and, when this instance delivers, the delivery stage.
 */
@Singleton
public class NotifierRuntime {

    private static final Logger LOG = Logger.getLogger(NotifierRuntime.class);
    /** The name {@link #pause} and the lag gauges give the delivery stage. */
    public static final String DELIVERIES = "deliveries";

    private final NotifierConfig config;
    private final Map<String, Object> kafkaConfig;
    private final Map<String, Channel> channels;
    private final NotifierClients clients;
    private final NotifierMetrics metrics;
    private final MeterRegistry registry;
    private final Tracer tracer;
    private final List<FanOut> fanOuts = new ArrayList<>();
    private DeliveryStage stage;
    private ConsumerLagGauges lag;

    NotifierRuntime(NotifierConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @All List<Channel> channels, NotifierClients clients, NotifierMetrics metrics, MeterRegistry registry,
            Tracer tracer) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.channels = channels.stream().collect(Collectors.toUnmodifiableMap(Channel::name, Function.identity()));
        this.clients = clients;
        this.metrics = metrics;
        this.registry = registry;
        this.tracer = tracer;
    }

    void start(@Observes StartupEvent event) {
        RouteTable routes = new RouteTable(RoutesFile.read(config.routes(), RoutesFile.systemEnvironment(),
                channels.keySet()), channels);
        Topics topics = new Topics(config.topicPrefix());
        try (Admin admin = clients.admin()) {
            if (config.notifier().createTopics()) {
                NotifierTopics.createMissing(admin, topics, config.notifier().deliveryRetention());
            }
            if (config.notifier().deliver()) {
                NotifierTopics.checkCoPartitioned(admin, topics);
            }
        }
        DeliveryRecords records = new DeliveryRecords(topics);
        for (String topic : fannedOutTopics(topics)) {
            String type = topic.substring(topic.lastIndexOf('.') + 1);
            metrics.reads(topic);
            fanOuts.add(new FanOut(topic, config.notifier().groupPrefix() + "-" + type, routes, records, metrics, clients));
        }
        if (config.notifier().deliver()) {
            metrics.reads(topics.deliveries());
            var notifier = config.notifier();
            stage = new DeliveryStage(notifier.groupPrefix() + "-" + DELIVERIES, routes, channels, records, metrics,
                    new Backoff(notifier.initialBackoff(), notifier.maxBackoff()), notifier.maxAttempts(), tracer, clients,
                    new DeliveryStage.Limits(notifier.senders(), notifier.maxPendingRecords(), notifier.maxPendingBytes(),
                            notifier.maxLaneDeliveries(), notifier.maxUncommittedRecords()));
            stage.start();
        }
        fanOuts.forEach(FanOut::start);
        List<ConsumerLagGauges.GroupTopic> watched = new ArrayList<>(
                fanOuts.stream().map(f -> new ConsumerLagGauges.GroupTopic(f.groupId(), f.topic())).toList());
        if (stage != null) {
            watched.add(new ConsumerLagGauges.GroupTopic(stage.groupId(), stage.topic()));
        }
        lag = new ConsumerLagGauges(kafkaConfig, watched, registry, config.lag().interval());
        LOG.infof("Notifier fanning out %s%s, with %d routes", fanOuts.stream().map(FanOut::topic).toList(),
                stage == null ? "" : " and delivering " + stage.topic(), routes.routes().size());
    }

    void stop(@Observes ShutdownEvent event) {
        fanOuts.forEach(FanOut::stop);
        if (stage != null) {
            stage.stop();
        }
        if (lag != null) {
            lag.close();
        }
    }

    /**
     * Stops fanning out the topics of these types ({@code unknown} included) until {@link #resume}; the consumer
     * groups keep their partitions, so their lag grows and shows.
     */
    public void pause(String... types) {
        fanOutsOf(types).forEach(FanOut::pause);
    }

    public void resume(String... types) {
        fanOutsOf(types).forEach(FanOut::resume);
    }

    private List<FanOut> fanOutsOf(String... types) {
        List<String> groups = Arrays.stream(types).map(type -> config.notifier().groupPrefix() + "-" + type).toList();
        return fanOuts.stream().filter(f -> groups.contains(f.groupId())).toList();
    }

    /** Every consumer thread and the writer run; the readiness and liveness checks read this. */
    public boolean consumersRunning() {
        boolean any = !fanOuts.isEmpty() || stage != null;
        return any && fanOuts.stream().allMatch(FanOut::isHealthy) && (stage == null || stage.isHealthy());
    }

    public List<String> consumerGroups() {
        List<String> groups = new ArrayList<>(fanOuts.stream().map(FanOut::groupId).toList());
        if (stage != null) {
            groups.add(stage.groupId());
        }
        return groups;
    }

    List<String> fannedOutTopics(Topics topics) {
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
