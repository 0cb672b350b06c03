package dev.herald.console.lag;

import dev.herald.console.config.ConsoleConfig;
import dev.herald.events.Topics;
import dev.herald.lag.ConsumerLagGauges;
import dev.herald.lag.ConsumerLagGauges.GroupTopic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lag of the router's and every notifier's consumer group per topic, measured by herald-kafka-lag exactly as the
 * services measure it for their {@code herald_consumer_lag_*} gauges. The gauges live in a registry of the console's
 * own: exported, they would double every series the alerts read.
 */
@Singleton
public class LagBoard {

    /** One group's lag on one topic; NaN when it could not be measured. */
    public record Row(String group, String topic, double records, double seconds) {

        public boolean known() {
            return !Double.isNaN(records) && !Double.isNaN(seconds);
        }

        /** As on the page: whole records, seconds to a tenth, blank when unknown. */
        public String recordsText() {
            return known() ? String.valueOf((long) records) : "";
        }

        public String secondsText() {
            return known() ? String.format(java.util.Locale.ROOT, "%.1f", seconds) : "";
        }
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<GroupTopic> watched = new ArrayList<>();
    private ConsumerLagGauges gauges;

    void start(@Observes StartupEvent event, ConsoleConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Topics topics = new Topics(config.topicPrefix());
        String notifier = config.console().notifierGroupPrefix();
        watched.add(new GroupTopic(config.console().routerGroup(), topics.raw()));
        for (String topic : topics.eventTopics()) {
            watched.add(new GroupTopic(notifier + "-" + topic.substring(topic.lastIndexOf('.') + 1), topic));
        }
        watched.add(new GroupTopic(notifier + "-deliveries", topics.deliveries()));
        gauges = new ConsumerLagGauges(kafkaConfig, watched, registry, config.lag().interval());
    }

    public List<Row> rows() {
        return watched.stream().map(w -> new Row(w.group(), w.topic(), gauge("herald.consumer.lag.records", w),
                gauge("herald.consumer.lag.seconds", w))).toList();
    }

    private double gauge(String name, GroupTopic groupTopic) {
        Gauge gauge = registry.find(name).tag("group", groupTopic.group()).tag("topic", groupTopic.topic()).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    void stop(@Observes ShutdownEvent event) {
        if (gauges != null) {
            gauges.close();
        }
        registry.close();
    }
}
