package dev.herald.console.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.herald.events.DeliveryHeaders;
import dev.herald.kafka.embedded.KafkaBroker;
import dev.herald.kafka.embedded.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsoleIT {

    static final String TOKEN = "test-console-token";
    private static HeraldRecords records;

    KafkaBroker broker;

    @BeforeEach
    void writer() {
        if (records == null) {
            records = new HeraldRecords(broker.bootstrapServers());
        }
        // Ready once the console has read what the topics held at its start: replays are refused until then.
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @AfterAll
    static void close() {
        if (records != null) {
            records.close();
            records = null;
        }
    }

    @Test
    void everyPathButHealthNeedsAToken() {
        // /sign-in/oidc too: single sign-on is off here, so nothing may sign in there.
        for (String path : new String[] {"/", "/events", "/events/some-id", "/dead-letters", "/q/metrics", "/sign-in/oidc"}) {
            given().accept(ContentType.JSON).get(path).then().statusCode(401);
            given().header("Authorization", "Bearer not-a-console-token").accept(ContentType.JSON).get(path)
                    .then().statusCode(401);
        }
        given().accept("text/html").get("/events").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"herald-console\"");
        given().get("/q/health/live").then().statusCode(200);
        given().auth().oauth2("rotated-console-token").accept(ContentType.JSON).get("/").then().statusCode(200);
    }

    @Test
    void aMetricsTokenOpensTheMetricsAndNothingElse() {
        given().auth().oauth2("test-metrics-token").get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("# TYPE jvm_"));
        given().auth().oauth2(TOKEN).get("/q/metrics").then().statusCode(200);
        for (String path : new String[] {"/", "/events", "/events/some-id", "/dead-letters"}) {
            given().auth().oauth2("test-metrics-token").accept(ContentType.JSON).get(path).then().statusCode(403);
        }
        given().auth().oauth2("test-metrics-token").contentType(ContentType.URLENC).formParam("reason", "any")
                .post("/dead-letters/replay").then().statusCode(403);
        given().auth().oauth2("test-metrics-token").post("/sign-out").then().statusCode(403);
        given().auth().oauth2("test-metrics-token").get("/q/metricsX").then().statusCode(403);
        given().auth().oauth2("test-metrics-token").get("/q/health/ready").then().statusCode(200);
        // Nor does it sign a browser in, with a valid CSRF token.
        io.restassured.response.Response form = given().accept("text/html").get("/sign-in");
        String csrf = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        assertThat(csrf).isNotBlank();
        io.restassured.response.Response signIn = given().redirects().follow(false).contentType(ContentType.URLENC)
                .cookie("csrf-token", form.cookie("csrf-token")).formParam("csrf-token", csrf)
                .formParam("token", "test-metrics-token").post("/sign-in");
        assertThat(signIn.cookies()).doesNotContainKey(dev.herald.console.access.TokenAuthenticationMechanism.SESSION_COOKIE);
        assertThat(signIn.statusCode()).isEqualTo(401);
    }

    @Test
    void journeyShowsAcceptanceRoutingAndEveryAttempt() {
        String id = UUID.randomUUID().toString();
        String body = "{\"type\":\"spot-recreated\",\"account_id\":\"acct-journey\",\"resources\":[]}";
        DeliveryHeaders delivery = HeraldRecords.slackDelivery(id, "spot-recreated", "finops");
        records.accepted(id, "spot-recreated", "acct-journey", body);
        records.routed(id, "spot-recreated", "acct-journey", body);
        records.delivery(delivery, body);
        records.outcome(delivery, 1, "retrying", "Slack answered 500");
        records.delivery(delivery.nextAttempt(Instant.now().plusSeconds(30), "Slack answered 500"), body);
        records.outcome(delivery, 2, "sent", null);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TOKEN).accept(ContentType.JSON)
                .get("/events/" + id).then().statusCode(200)
                .body("steps.size()", equalTo(6))
                .body("steps[0].kind", equalTo("ACCEPTED"))
                .body("steps[1].kind", equalTo("ROUTED"))
                .body("steps[1].topic", equalTo("uniskai.events.spot-recreated"))
                .body("steps.kind", org.hamcrest.Matchers.hasItems("QUEUED", "RETRY_SCHEDULED", "ATTEMPT"))
                .body("steps.findAll { it.deliveryId != null }.route", org.hamcrest.Matchers.everyItem(equalTo("finops"))));
        given().auth().oauth2(TOKEN).accept(ContentType.JSON).queryParam("account", "acct-journey").get("/events")
                .then().statusCode(200).body("found[0].eventId", equalTo(id));
        String page = given().auth().oauth2(TOKEN).accept("text/html").get("/events/" + id).then().statusCode(200)
                .extract().asString();
        assertThat(page).contains("uniskai.events.spot-recreated").contains("1 sent").contains("Slack answered 500")
                .contains("(route finops)").contains("QUEUED").contains("RETRY_SCHEDULED");
    }

    @Test
    void aCopyOfAWebhookSentWithoutAnIdNamesTheEventTheRouterRoutedInItsPlace() {
        String first = UUID.randomUUID().toString();
        String copy = UUID.randomUUID().toString();
        String body = "{\"type\":\"trial-period-ending\",\"accounts\":[\"" + first + "\"]}";
        String sha = java.util.HexFormat.of().formatHex(sha256(body));
        // Uniskai sends the same bytes again: the ingest gives the copy another id, the router drops it.
        records.acceptedWithoutSenderId(first, "trial-period-ending", body, sha);
        records.acceptedWithoutSenderId(copy, "trial-period-ending", body, sha);
        records.routed(first, "trial-period-ending", "sha256:" + sha, body);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(given().auth().oauth2(TOKEN)
                .accept("text/html").get("/events/" + copy).then().statusCode(200).extract().asString())
                .contains("a copy of " + first).contains("href=\"/events/" + first + "\"")
                .doesNotContain("not routed yet"));
        String page = given().auth().oauth2(TOKEN).accept("text/html").get("/events/" + first).then().statusCode(200)
                .extract().asString();
        assertThat(page).contains("uniskai.events.trial-period-ending").doesNotContain("a copy of");
        String list = given().auth().oauth2(TOKEN).accept("text/html").queryParam("type", "trial-period-ending")
                .get("/events").then().statusCode(200).extract().asString();
        assertThat(list).contains("a copy of " + first);
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void hostileBodyRendersAsText() {
        String id = UUID.randomUUID().toString();
        String longString = "x".repeat(200_000);
        String body = "{\"type\":\"team-member-permission-request\",\"account_id\":\"acct-hostile\","
                + "\"name\":\"<script>alert('owned')</script>\",\"note\":\"<https://evil.example|click *here*> <!channel>\","
                + "\"img\":\"<img src=x onerror=alert(1)>\",\"long\":\"" + longString + "\"}";
        records.accepted(id, "team-member-permission-request", "acct-hostile", body);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TOKEN).accept(ContentType.JSON)
                .get("/events/" + id).then().statusCode(200));
        String page = given().auth().oauth2(TOKEN).accept("text/html").get("/events/" + id).then().statusCode(200)
                .contentType(ContentType.HTML).extract().asString();
        assertThat(page).doesNotContain("<script>alert").doesNotContain("<img src=x")
                .contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;")
                .contains("&lt;https://evil.example|click *here*&gt; &lt;!channel&gt;")
                .contains("more characters not kept");
    }

    @Test
    void searchByTypeAndAcceptanceTimeAndTheLastHoursEventsPerType() {
        String account = "acct-search-" + UUID.randomUUID();
        Instant now = Instant.now();
        String a = "a-" + UUID.randomUUID();
        String b = "b-" + UUID.randomUUID();
        String c = "c-" + UUID.randomUUID();
        // A body whose type does not say where its accounts are: its top-level account_id is the account.
        String body = "{\"account_id\":\"" + account + "\"}";
        records.accepted(a, "trial-period-ended", account, body, now.minus(Duration.ofMinutes(50)));
        records.accepted(c, "spot-recreated", account, body, now.minus(Duration.ofMinutes(40)));
        records.accepted(b, "spot-recreated", account, body, now.minus(Duration.ofMinutes(10)));
        records.accepted("t-" + UUID.randomUUID(), "console-throughput-check", account, body, now.minus(Duration.ofMinutes(5)));
        // A type a sender made up, holding what a link's query would split on.
        records.accepted("t-" + UUID.randomUUID(), "odd&type=x#y z", account, body, now.minus(Duration.ofMinutes(4)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(found(Map.of("account", account))).hasSize(5));

        assertThat(found(Map.of("account", account, "type", "spot-recreated"))).containsExactly(b, c);
        assertThat(found(Map.of("account", account, "from", now.minus(Duration.ofMinutes(30)).toString(), "type",
                "spot-recreated"))).containsExactly(b);
        assertThat(found(Map.of("account", account, "to", now.minus(Duration.ofMinutes(20)).toString())))
                .containsExactly(c, a);
        given().auth().oauth2(TOKEN).accept(ContentType.JSON).get("/").then().statusCode(200)
                .body("lastHourByType.'console-throughput-check'", equalTo(1));
        assertThat(given().auth().oauth2(TOKEN).accept("text/html").get("/").asString())
                .contains("<a href=\"/events?type=odd%26type%3Dx%23y%20z\">odd&amp;type=x#y z</a>");
        assertThat(found(Map.of("type", "odd&type=x#y z"))).hasSize(1);
    }

    @Test
    void theFrontPageShowsAGroupsLagInRecordsAndSeconds() throws Exception {
        String raw = HeraldRecords.TOPICS.raw();
        Instant firstWritten = Instant.now();
        for (int i = 0; i < 12; i++) {
            records.accepted(UUID.randomUUID().toString(), "spot-rollback", "acct-lag-" + i, "{}");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(raw)).allTopicNames().get().get(raw)
                    .partitions().stream().map(info -> new TopicPartition(raw, info.partition())).toList();
            Map<TopicPartition, Long> ends = new java.util.HashMap<>();
            for (var entry : admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(
                    tp -> tp, tp -> OffsetSpec.latest()))).all().get().entrySet()) {
                ends.put(entry.getKey(), entry.getValue().offset());
            }
            TopicPartition behind = ends.entrySet().stream().filter(e -> e.getValue() >= 3).findFirst().orElseThrow()
                    .getKey();
            // The router's group, 3 records behind on one partition and caught up on the others.
            Map<TopicPartition, OffsetAndMetadata> committed = new java.util.HashMap<>();
            ends.forEach((tp, end) -> committed.put(tp, new OffsetAndMetadata(tp.equals(behind) ? end - 3 : end)));
            admin.alterConsumerGroupOffsets("herald-router", committed).all().get();
        }

        // Nobody consumes for the group: its lag in seconds is the age of the oldest record it has not read, growing.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            float seconds = given().auth().oauth2(TOKEN).accept(ContentType.JSON).get("/").then().statusCode(200)
                    .body("lag.find { it.group == 'herald-router' && it.topic == '" + raw + "' }.records", equalTo(3.0f))
                    .extract().jsonPath().getFloat("lag.find { it.group == 'herald-router' && it.topic == '" + raw + "' }.seconds");
            assertThat(seconds).as("lag in seconds").isGreaterThanOrEqualTo(1.0f)
                    .isLessThanOrEqualTo(Duration.between(firstWritten, Instant.now()).toMillis() / 1000f + 1);
        });
        assertThat(given().auth().oauth2(TOKEN).accept("text/html").get("/").asString()).contains(
                "<tr><td>herald-router</td><td>" + raw + "</td>\n<td>3</td>");
    }

    private static List<String> found(Map<String, String> criteria) {
        return given().auth().oauth2(TOKEN).accept(ContentType.JSON).queryParams(criteria).get("/events").then()
                .statusCode(200).extract().jsonPath().getList("found.eventId", String.class);
    }

    @Test
    void replayOfASelectionAndOfEveryDeadLetterOfAReason() {
        String selection = "sel-" + UUID.randomUUID();
        String reason = "all-" + UUID.randomUUID();
        List<String> chosen = new ArrayList<>();
        List<String> ofReason = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String eventId = UUID.randomUUID().toString();
            DeliveryHeaders delivery = HeraldRecords.slackDelivery(eventId, "spot-rollback", "ops")
                    .withError(i < 2 ? selection : reason);
            records.accepted(eventId, "spot-rollback", "acct-replays", "{}");
            records.deliveryDeadLetter(delivery, "{}");
            (i < 2 ? chosen : ofReason).add(delivery.deliveryId());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TOKEN).accept(ContentType.JSON)
                .get("/dead-letters").then().body("deadLetters.id", org.hamcrest.Matchers.hasItems(
                        chosen.get(0), chosen.get(1), ofReason.get(0), ofReason.get(1))));

        Response listing = given().auth().oauth2(TOKEN).accept("text/html").get("/dead-letters");
        String csrf = listing.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        List<String> replayedChosen = given().auth().oauth2(TOKEN).accept(ContentType.JSON).contentType(ContentType.URLENC)
                .cookie("csrf-token", listing.cookie("csrf-token")).formParam("csrf-token", csrf)
                .formParam("delivery", chosen.get(0)).formParam("delivery", chosen.get(1)).post("/dead-letters/replay")
                .then().statusCode(200).extract().jsonPath().getList("replayed", String.class);
        assertThat(replayedChosen).containsExactlyInAnyOrderElementsOf(chosen);
        List<String> replayedOfReason = given().auth().oauth2(TOKEN).accept(ContentType.JSON)
                .contentType(ContentType.URLENC).cookie("csrf-token", listing.cookie("csrf-token"))
                .formParam("csrf-token", csrf).formParam("reason", reason).post("/dead-letters/replay")
                .then().statusCode(200).extract().jsonPath().getList("replayed", String.class);
        assertThat(replayedOfReason).containsExactlyInAnyOrderElementsOf(ofReason);
        for (String deliveryId : concat(chosen, ofReason)) {
            assertThat(deliveryRecords(deliveryId)).as(deliveryId).hasSize(1);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    @Test
    void anEventWhoseIdHoldsSlashesAndQueryCharactersIsLinkedToItsPage() {
        // Event ids may hold any visible character: the search's link must still lead to the event's page.
        String id = "ops/2026-11-28?x=1#y%z " + UUID.randomUUID();
        records.accepted(id, "spot-rollback", "acct-odd-id", "{\"type\":\"spot-rollback\",\"account_id\":\"acct-odd-id\"}");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TOKEN).accept(ContentType.JSON)
                .queryParam("account", "acct-odd-id").get("/events").then().statusCode(200)
                .body("found.eventId", org.hamcrest.Matchers.hasItem(id)));

        String link = given().auth().oauth2(TOKEN).accept("text/html").queryParam("account", "acct-odd-id").get("/events")
                .htmlPath().getString("**.find { it.name() == 'a' && it.text() == '" + id.replace("'", "\\'") + "' }.@href");
        assertThat(link).startsWith("/events/").doesNotContain("?").doesNotContain("#");
        given().auth().oauth2(TOKEN).accept(ContentType.JSON).urlEncodingEnabled(false).get(link).then().statusCode(200)
                .body("eventId", equalTo(id));
    }

    @Test
    void replayWithoutCsrfTokenIsRefused() {
        String id = UUID.randomUUID().toString();
        DeliveryHeaders delivery = HeraldRecords.slackDelivery(id, "spot-rollback", "ops");
        String deliveryId = delivery.deliveryId();
        String body = "{\"type\":\"spot-rollback\",\"account_id\":\"acct-csrf\",\"note\":\"é\\u0000\"}";
        records.accepted(id, "spot-rollback", "acct-csrf", body);
        records.outcome(delivery, 8, "dead", "gave up");
        records.deliveryDeadLetter(delivery.nextAttempt(Instant.now(), "Slack answered 500").withError("gave up"), body);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TOKEN).accept(ContentType.JSON)
                .get("/dead-letters").then().statusCode(200).body("deadLetters.id", org.hamcrest.Matchers.hasItem(deliveryId)));

        Response refused = given().auth().oauth2(TOKEN).accept(ContentType.JSON).contentType(ContentType.URLENC)
                .formParam("delivery", deliveryId).post("/dead-letters/replay");
        assertThat(refused.statusCode()).isIn(400, 403);
        Response forged = given().auth().oauth2(TOKEN).accept(ContentType.JSON).contentType(ContentType.URLENC)
                .cookie("csrf-token", "forged").formParam("csrf-token", "other").formParam("delivery", deliveryId)
                .post("/dead-letters/replay");
        assertThat(forged.statusCode()).isIn(400, 403);
        given().auth().oauth2(TOKEN).accept(ContentType.JSON).get("/events/" + id).then()
                .body("steps.outcome", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("replayed")));

        // With the token the page's form carries, the same replay goes through and is recorded on the event.
        Response listing = given().auth().oauth2(TOKEN).accept("text/html").get("/dead-letters");
        String csrf = listing.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        given().auth().oauth2(TOKEN).accept(ContentType.JSON).contentType(ContentType.URLENC)
                .cookie("csrf-token", listing.cookie("csrf-token")).formParam("csrf-token", csrf)
                .formParam("delivery", deliveryId).post("/dead-letters/replay")
                .then().statusCode(200).body("replayed[0]", equalTo(deliveryId));
        // A second replay right after (a double click, another operator) finds it replayed: nothing is written twice.
        given().auth().oauth2(TOKEN).accept(ContentType.JSON).contentType(ContentType.URLENC)
                .cookie("csrf-token", listing.cookie("csrf-token")).formParam("csrf-token", csrf)
                .formParam("delivery", deliveryId).post("/dead-letters/replay")
                .then().statusCode(200).body("replayed", org.hamcrest.Matchers.empty())
                .body("skipped[0]", equalTo(deliveryId));
        assertThat(given().auth().oauth2(TOKEN).accept("text/html").get("/events/" + id).then().extract().asString())
                .contains(">replayed, waiting for the notifier</span>");
        // An outcome after the replay's, on the same partition (keyed by event): once the console shows it, it has read
        // the replay's own record too, and shows it as the one step it already had.
        records.outcome(delivery, 9, "sent", null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TOKEN).accept(ContentType.JSON)
                .get("/events/" + id).then().body("steps.outcome", org.hamcrest.Matchers.hasItem("sent")));
        assertThat(given().auth().oauth2(TOKEN).accept(ContentType.JSON).get("/events/" + id).jsonPath()
                .getList("steps.outcome", String.class)).filteredOn("replayed"::equals).hasSize(1);

        // On the deliveries topic as the notifier keys its own: by destination, the body byte for byte, a first attempt.
        List<ConsumerRecord<String, byte[]>> replays = deliveryRecords(deliveryId);
        assertThat(replays).singleElement().satisfies(replay -> {
            assertThat(replay.key()).isEqualTo(delivery.destinationKey());
            assertThat(replay.value()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
            DeliveryHeaders headers = DeliveryHeaders.from(name -> header(replay, name)).orElseThrow();
            assertThat(headers).isEqualTo(delivery.replayed());
            assertThat(header(replay, DeliveryHeaders.NOT_BEFORE)).as("due now").isNull();
        });
    }

    @Test
    void bothDeadLetterTopicsAreListedAndFilteredByReason() {
        String routerId = UUID.randomUUID().toString();
        records.routerDeadLetter(routerId, "{not json", "malformed-body", "the body is not JSON");
        String eventId = UUID.randomUUID().toString();
        DeliveryHeaders delivery = HeraldRecords.slackDelivery(eventId, "spot-recreated", "finops").withError("no_service");
        String deliveryId = delivery.deliveryId();
        records.deliveryDeadLetter(delivery, "{}");
        String unreadableId = UUID.randomUUID().toString();
        records.unreadableDeadLetter(unreadableId, "spot-recreated", "unreadable: no herald_delivery_id", "{}");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(TOKEN).accept(ContentType.JSON)
                .get("/dead-letters").then().statusCode(200)
                .body("deadLetters.find { it.id == '" + deliveryId + "' }.topic", equalTo("uniskai.notifier.dlq"))
                .body("deadLetters.find { it.id == '" + deliveryId + "' }.replayable", equalTo(true))
                .body("deadLetters.find { it.id == '" + deliveryId + "' }.route", equalTo("finops"))
                .body("deadLetters.find { it.eventId == '" + unreadableId + "' }.topic", equalTo("uniskai.notifier.dlq"))
                .body("deadLetters.find { it.eventId == '" + unreadableId + "' }.replayable", equalTo(false))
                .body("deadLetters.find { it.eventId == '" + routerId + "' }.topic", equalTo("uniskai.webhooks.dlq"))
                .body("deadLetters.find { it.eventId == '" + routerId + "' }.replayable", equalTo(false)));
        given().auth().oauth2(TOKEN).accept(ContentType.JSON).queryParam("reason", "no_service").get("/dead-letters")
                .then().body("deadLetters.id", org.hamcrest.Matchers.hasItem(deliveryId))
                .body("deadLetters.reason", org.hamcrest.Matchers.everyItem(equalTo("no_service")));
        given().auth().oauth2(TOKEN).accept(ContentType.JSON).get("/events/" + routerId).then()
                .body("steps[0].reason", equalTo("malformed-body: the body is not JSON"));
        assertThat(given().auth().oauth2(TOKEN).accept("text/html").get("/events/" + unreadableId).then().statusCode(200)
                .extract().asString()).contains("dead-lettered by the notifier: unreadable: no herald_delivery_id");
    }

    /** The records of one delivery on the deliveries topic, read without a consumer group. */
    private List<ConsumerRecord<String, byte[]>> deliveryRecords(String deliveryId) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = HeraldRecords.TOPICS.deliveries();
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (deliveryId.equals(header(record, DeliveryHeaders.DELIVERY_ID))) {
                        found.add(record);
                    }
                });
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
        }
        return found;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void signInSetsAStrictHttpOnlySessionCookie() {
        Response form = given().accept("text/html").get("/sign-in");
        String csrf = form.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        Response wrong = given().accept("text/html").contentType(ContentType.URLENC).cookie("csrf-token", form.cookie("csrf-token"))
                .formParam("csrf-token", csrf).formParam("token", "guess").redirects().follow(false).post("/sign-in");
        assertThat(wrong.statusCode()).isEqualTo(401);
        Response signedIn = given().accept("text/html").contentType(ContentType.URLENC).cookie("csrf-token", form.cookie("csrf-token"))
                .formParam("csrf-token", csrf).formParam("token", TOKEN).redirects().follow(false).post("/sign-in");
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String setCookie = signedIn.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("herald_console_session=")).findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        given().accept(ContentType.JSON).cookie("herald_console_session", signedIn.cookie("herald_console_session"))
                .get("/dead-letters").then().statusCode(200);
        given().accept(ContentType.JSON).cookie("herald_console_session", "9999999999.forged").get("/dead-letters")
                .then().statusCode(401);

        Response page = given().accept("text/html").cookie("herald_console_session", signedIn.cookie("herald_console_session"))
                .get("/dead-letters");
        String pageCsrf = page.htmlPath().getString("**.find { it.@name == 'csrf-token' }.@value");
        Response signedOut = given().accept("text/html").contentType(ContentType.URLENC)
                .cookie("herald_console_session", signedIn.cookie("herald_console_session"))
                .cookie("csrf-token", page.cookie("csrf-token")).formParam("csrf-token", pageCsrf)
                .redirects().follow(false).post("/sign-out");
        assertThat(signedOut.statusCode()).isEqualTo(303);
        assertThat(signedOut.headers().getValues("Set-Cookie")).anyMatch(c -> c.startsWith("herald_console_session=;")
                && c.contains("Max-Age=0"));
    }
}
