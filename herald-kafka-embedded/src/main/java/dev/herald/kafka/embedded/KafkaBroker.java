package dev.herald.kafka.embedded;

import dev.herald.events.RecordSizeLimits;
import dev.herald.events.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running in this JVM, from the
 * Maven Central jars of the Kafka version the Quarkus BOM brings. Its data lives in one directory, so a broker
 * stopped and started again on the same directory keeps every record, offset and transaction.
 *
 * <p>Single-node settings (replication factor 1 for internal topics) are set here and nowhere in the services.
 */
public final class KafkaBroker implements AutoCloseable {

    /** A TLS listener: its port, the authority clients trust, and the keystore the broker presents. */
    private record SslListener(int port, CertificateAuthority authority, CertificateAuthority.Keystore keystore) {
    }

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private final Map<String, String> overrides;
    private final SslListener ssl;
    private KafkaRaftServer server;

    private KafkaBroker(int port, int controllerPort, Path dataDir, Map<String, String> overrides, SslListener ssl) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dataDir = dataDir;
        this.overrides = Map.copyOf(overrides);
        this.ssl = ssl;
    }

    /**
     * A broker on {@code port} (0 picks a free one) keeping its data in {@code dataDir}.
     * {@code overrides} are broker properties that win over the defaults.
     */
    public static KafkaBroker create(int port, Path dataDir, Map<String, String> overrides) {
        int brokerPort = port == 0 ? freePort() : port;
        return new KafkaBroker(brokerPort, freePort(), dataDir, overrides, null);
    }

    /**
     * Like {@link #create}, with a TLS listener beside the plain-text one, on a free port: clients that trust
     * {@link #caCertificate()} connect to {@link #sslBootstrapServers()} with {@code security.protocol=SSL}. The
     * certificate authority and the broker's certificate (for {@code IP:127.0.0.1}) are made in
     * {@code dataDir/tls} on first use and kept there.
     */
    public static KafkaBroker createWithTls(int port, Path dataDir, Map<String, String> overrides) {
        int brokerPort = port == 0 ? freePort() : port;
        CertificateAuthority authority = CertificateAuthority.in(dataDir.resolve("tls"));
        SslListener ssl = new SslListener(freePort(), authority, authority.issue("broker", "IP:127.0.0.1"));
        return new KafkaBroker(brokerPort, freePort(), dataDir, overrides, ssl);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The TLS listener's address; only for a broker made with {@link #createWithTls}. */
    public String sslBootstrapServers() {
        return "127.0.0.1:" + sslListener().port();
    }

    /** The PEM certificate of the authority that signed the TLS listener's certificate: what clients trust. */
    public Path caCertificate() {
        return sslListener().authority().certificate();
    }

    /** What a client needs to reach the TLS listener: its address, {@code security.protocol=SSL}, the CA as PEM. */
    public Map<String, Object> sslClientConfig() {
        return Map.of(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, sslBootstrapServers(),
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL",
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caCertificate().toString());
    }

    private SslListener sslListener() {
        if (ssl == null) {
            throw new IllegalStateException(this + " has no TLS listener; make it with KafkaBroker.createWithTls");
        }
        return ssl;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Formats the data directory on first use, then starts the broker and waits until it serves metadata. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Path config = writeConfig();
            formatIfNew(config);
            KafkaConfig kafkaConfig = KafkaConfig.fromProps(properties(), false);
            KafkaRaftServer raftServer = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
            raftServer.startup();
            server = raftServer;
            awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + dataDir, e);
        }
    }

    /** Stops the broker cleanly; its data stays in the data directory. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Creates the topics that do not exist yet, each as large as {@link RecordSizeLimits} says a Herald topic of
     * that name must take; existing topics are left as they are.
     */
    public void createTopics(Collection<String> topics, int partitions) {
        RecordSizeLimits sizes = new RecordSizeLimits(Topics.withDefaultPrefix());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream()
                    .filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, partitions, (short) 1).configs(sizes.topicConfig(topic)))
                    .toList();
            admin.createTopics(missing).values().values().forEach(KafkaBroker::awaitCreated);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + topics, e);
        }
    }

    private static void awaitCreated(org.apache.kafka.common.KafkaFuture<Void> creation) {
        try {
            creation.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Properties properties() {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        if (ssl != null) {
            // Clients only: the controller and the broker itself keep talking in plain text on loopback.
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + ssl.port()
                    + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",SSL://127.0.0.1:" + ssl.port());
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT");
            props.put("listener.name.ssl.ssl.keystore.type", CertificateAuthority.Keystore.TYPE);
            props.put("listener.name.ssl.ssl.keystore.location", ssl.keystore().location().toString());
            props.put("listener.name.ssl.ssl.keystore.password", ssl.keystore().password());
            props.put("listener.name.ssl.ssl.key.password", ssl.keystore().password());
        }
        props.put("log.dirs", dataDir.resolve("logs").toString());
        // One node: every internal topic has one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "10");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "10");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // A transaction's first record waits until the previous one's markers are written; the broker asks again
        // after this backoff (20 ms by default): the first record waited 11.4 ms on average instead of 4.6.
        // Every Herald service writes in transactions (router, fan-out, delivery writer): see docs/kafka.md.
        props.put("add.partitions.to.txn.retry.backoff.ms", "2");
        props.put("num.partitions", "3");
        props.put("auto.create.topics.enable", "true");
        props.putAll(overrides);
        return props;
    }

    private Path writeConfig() throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (Writer writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            properties().store(writer, "Herald embedded Kafka broker, written at each start");
        }
        return config;
    }

    private void formatIfNew(Path config) {
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode = StorageTool.execute(new String[] {
                "format", "--config", config.toString(), "--cluster-id", Uuid.randomUuid().toString(), "--ignore-formatted"
        }, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exitCode != 0) {
            throw new IllegalStateException("cannot format Kafka storage in " + dataDir + ": "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka broker on " + bootstrapServers() + " did not become ready", e);
        }
    }

    /** Distinct ports for the broker's listeners: two {@code new ServerSocket(0)} in a row can, and once did, agree. */
    private static int freePort() {
        return ListenPort.free();
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers() + (ssl == null ? "" : ", SSL 127.0.0.1:" + ssl.port()) + ", "
                + dataDir + "]";
    }

}
