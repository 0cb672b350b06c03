package dev.herald.notifier.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.events.EventHeaders;
import dev.herald.events.Topics;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import dev.herald.kafka.embedded.PackagedService;
import dev.herald.kafka.embedded.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The packaged notifier on a Kafka cluster reached over TLS, configured as a pod is: {@code KAFKA_SECURITY_PROTOCOL=SSL}
 * and a PEM truststore holding the cluster's CA, from environment variables. Its only Kafka address is the broker's
 * TLS listener, so a client that missed the settings could not connect: the topic creation and the sent ledger's Admin
 * clients, the ledger's reader and Quarkus' Kafka health check must let it become ready, the event consumer must
 * deliver an event, and the producer must record its outcome and its mark in the sent ledger. It runs beside the
 * notifier Quarkus starts for the other tests, under its own prefix and consumer groups.
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = NotifierTestResource.class, scope = TestResourceScope.GLOBAL)
class KafkaOverTlsIT {

    private static final String PREFIX = "tls";
    private static final Topics TOPICS = new Topics(PREFIX);
    private static final String TYPE = "trial-period-ended";

    KafkaBroker broker;
    TestSinks sinks;

    @Test
    void everyKafkaClientConnectsOverTlsWithTheSettingsOfTheEnvironment() throws Exception {
        // The per-type topic comes from the router's side; the notifier creates its own ones, over TLS.
        broker.createTopics(List.of(TOPICS.forType(TYPE)), 1);
        sinks.slack.stubFor(post(urlEqualTo("/hooks/tls")).willReturn(aResponse().withStatus(200).withBody("ok")));
        Path routes = Files.createTempFile("tls-routes", ".yaml");
        Files.writeString(routes, """
                routes:
                  - name: tls
                    types: ["*"]
                    email: [tls@example.com]
                    slack: ["%s"]
                """.formatted(sinks.slackUrl("/hooks/tls")));
        String eventId = "tls-" + UUID.randomUUID();

        try (PackagedService notifier = PackagedService.start(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", broker.sslBootstrapServers()),
                Map.entry("KAFKA_SECURITY_PROTOCOL", "SSL"),
                Map.entry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM"),
                Map.entry("KAFKA_SSL_TRUSTSTORE_LOCATION", broker.caCertificate().toString()),
                Map.entry("HERALD_TOPIC_PREFIX", PREFIX),
                Map.entry("HERALD_NOTIFIER_GROUP_PREFIX", PREFIX + "-notifier"),
                Map.entry("HERALD_NOTIFIER_TYPES", TYPE),
                Map.entry("HERALD_ROUTES", routes.toString()),
                Map.entry("HERALD_SLACK_ALLOWED_URL_PREFIXES", sinks.slackUrl("/hooks/")),
                Map.entry("QUARKUS_MAILER_HOST", "127.0.0.1"),
                Map.entry("QUARKUS_MAILER_PORT", String.valueOf(sinks.smtpPort()))))) {
            // Ready only once its own topics exist and the sent ledger is loaded.
            notifier.awaitReady(Duration.ofSeconds(90));

            publish(eventId);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(sinks.mails()).anyMatch(mail -> eventId.equals(TestSinks.header(mail, "X-Herald-Event-Id")));
                sinks.slack.verify(postRequestedFor(urlEqualTo("/hooks/tls")));
            });
            try (TopicReader outcomes = new TopicReader(broker.bootstrapServers(), TOPICS.outcomes());
                    TopicReader sent = new TopicReader(broker.bootstrapServers(), TOPICS.deliveriesDone())) {
                outcomes.awaitRecord(record -> eventId.equals(record.key()), Duration.ofSeconds(30));
                assertThat(sent.readUntil(records -> records.size() >= 2, Duration.ofSeconds(30)))
                        .as("one mark per delivery, email and Slack").hasSize(2);
            }
        }
    }

    private void publish(String eventId) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(EventHeaders.CE_ID, utf8(eventId));
            headers.add(EventHeaders.CE_TYPE, utf8(TYPE));
            headers.add(EventHeaders.CE_TIME, utf8(Instant.now().toString()));
            byte[] body = utf8("{\"type\":\"" + TYPE
                    + "\",\"accounts\":[{\"account_name\":\"Over TLS\",\"account_id\":\"424242\"}]}");
            producer.send(new ProducerRecord<>(TOPICS.forType(TYPE), null, eventId, body, headers)).get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
