package dev.herald.router.state;

import dev.herald.kafka.client.KafkaClientSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Ties the router's local state to the Kafka cluster it talks to. Seen: a broker wiped and recreated while the router
 * kept its state directory; Streams restored some tasks, kept another's stale deduplication store, and that store
 * dropped new events as copies of events the new cluster never had. So before Kafka Streams opens the state, the
 * cluster's id is compared with the one the state was built from, and state of another cluster is wiped: Streams
 * then restores it from this cluster's changelogs.
 */
@ApplicationScoped
public class ClusterBoundState {

    private static final Logger LOG = Logger.getLogger(ClusterBoundState.class);
    private static final Duration CLUSTER_ID_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaClientSettings kafka;
    private final LocalState local;

    @Inject
    ClusterBoundState(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            @ConfigProperty(name = "kafka-streams.state.dir") String stateDir,
            @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId) {
        this.kafka = new KafkaClientSettings(kafkaConfig);
        this.local = new LocalState(Path.of(stateDir), applicationId);
    }

    /**
     * Wipes the local state unless it was built from this cluster. Start-up stops when the cluster's id cannot be
     * read: state that cannot be tied to a cluster is not opened.
     */
    public void check() {
        String clusterId = clusterId();
        try {
            LocalState.Binding binding = local.bindTo(clusterId);
            if (binding instanceof LocalState.Binding.Wiped wiped) {
                LOG.warnf("Wiped the router's local state in %s: it was built from Kafka cluster %s, and this is"
                        + " cluster %s; Kafka Streams restores it from this cluster's changelogs",
                        local.applicationDir(), wiped.formerClusterId().orElse("(unrecorded)"), clusterId);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the router's local state in " + local.applicationDir()
                    + " against Kafka cluster " + clusterId, e);
        }
    }

    private String clusterId() {
        try (Admin admin = Admin.create(kafka.connection())) {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) CLUSTER_ID_TIMEOUT.toMillis()))
                    .clusterId().get(CLUSTER_ID_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Object servers = kafka.connection().get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
            throw new IllegalStateException("cannot read the Kafka cluster's id from " + servers
                    + ", so the router's local state cannot be tied to it: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the Kafka cluster's id", e);
        }
    }
}
