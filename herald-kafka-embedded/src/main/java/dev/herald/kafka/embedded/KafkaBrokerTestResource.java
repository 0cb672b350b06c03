package dev.herald.kafka.embedded;

import dev.herald.events.Topics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A Quarkus test resource that gives a module's tests one real Kafka broker for the whole test run, over TCP.
 *
 * <p>Every Herald topic (default prefix, three partitions) is created at start. The broker is started once per JVM,
 * however many test classes (and Quarkus restarts) use it, and stopped when the JVM exits. The services under test
 * reach it in plain text; it also has a TLS listener ({@link KafkaBroker#sslBootstrapServers()}) with a CA made for
 * the run. Tests that need the broker itself (to stop and restart it) declare a {@link KafkaBroker} field
 * and get it injected.
 *
 * <p>Quarkus Dev Services and {@code KafkaCompanionResource} start containers and cannot run without Docker; this
 * resource needs nothing but the jars on the test classpath.
 */
public class KafkaBrokerTestResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaBroker broker;

    /** The shared broker, started on first use. */
    public static synchronized KafkaBroker sharedBroker() {
        if (broker == null) {
            try {
                // With a TLS listener too, so that each service can prove its clients over TLS on the same broker.
                // A killed client's open transaction holds read_committed readers until the broker aborts it; checking
                // for timed-out transactions every second (not 10) keeps the crash tests short.
                KafkaBroker started = KafkaBroker.createWithTls(0, Files.createTempDirectory("herald-kafka-"),
                        Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"));
                started.start();
                // Like the topic-init step of the local run and of deployments: every Herald topic exists.
                started.createTopics(Topics.withDefaultPrefix().all(), 3);
                Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "herald-kafka-test-broker-stop"));
                broker = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return broker;
    }

    @Override
    public Map<String, String> start() {
        String bootstrap = sharedBroker().bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "quarkus.kafka-streams.bootstrap-servers", bootstrap,
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(sharedBroker(), new TestInjector.MatchesType(KafkaBroker.class));
    }

    @Override
    public void stop() {
        // The broker outlives each Quarkus application of the test run; a shutdown hook stops it with the JVM.
    }
}
