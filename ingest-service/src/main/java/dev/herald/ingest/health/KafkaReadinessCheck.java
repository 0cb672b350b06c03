package dev.herald.ingest.health;

import dev.herald.kafka.client.KafkaClientSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kafka cluster answers: an ingest that cannot publish would answer every webhook 503,
 * so the load balancer should send them to an instance that can.
 */
@Readiness
@ApplicationScoped
class KafkaReadinessCheck implements HealthCheck {

    private static final int TIMEOUT_MS = 2_000;
    private final Admin admin;

    KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> adminConfig = new KafkaClientSettings(kafkaConfig).connection();
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "herald-ingest-health");
        adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
        this.admin = Admin.create(adminConfig);
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
                    .nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).size();
            return HealthCheckResponse.named("kafka").status(brokers > 0).withData("brokers", brokers).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka").down()
                    .withData("error", "Kafka cluster did not answer within " + TIMEOUT_MS + " ms").build();
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
