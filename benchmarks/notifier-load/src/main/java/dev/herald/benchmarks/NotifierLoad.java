package dev.herald.benchmarks;

import dev.herald.events.DeliveryHeaders;
import dev.herald.events.DocumentedExamples;
import dev.herald.events.EventHeaders;
import dev.herald.events.EventType;
import dev.herald.events.Topics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Load and figures for benchmarks/notifier.sh. Arrivals are the lines {@link BenchSinks} writes.
 * <ul>
 * <li>{@code preload <bootstrap> <types|all> <n> <id-prefix>}: n events on the per-type topics (types cycled), with
 * the headers the router writes (ce_specversion, ce_id, ce_type, ce_time, content-type), bodies the documented examples;
 * <li>{@code await <sinks-url> <email|slack> <n> <timeout-s>}: until the sink has counted n of that channel;
 * <li>{@code throughput <arrivals> <id-prefix> <label>}: emails/s from the first to the last arrival of those ids, and over the second half alone (warm);
 * <li>{@code smtp-loop <host> <port> <n> <concurrency> <mailboxes> <bytes> <pool>}: n mails through Vert.x mail (the
 * client under quarkus-mailer) with at most {@code concurrency} sends outstanding, timed;
 * <li>{@code post <url> <token> <body-file> <rate> <seconds> <id-prefix> <out> [lead-in-seconds]}: posts at a fixed
 * rate (open loop), each with a unique webhook-id, and writes "id sentMicros ackMicros status" lines; a lead-in first
 * posts at the same rate, unrecorded (ids {@code lead-<id-prefix><n>}), so that the measured posts follow a warm
 * generator in a steady stream;
 * <li>{@code latency <posts> <arrivals> <channel> <label> [bucket-seconds]}: from each 202 to each arrival of that
 * channel: p50/p99/max, and the same per bucket of posting time when a bucket is given;
 * <li>{@code stages <bootstrap> <posts> <arrivals> <label>}: where the time from POST to email went, per stage,
 * p50/p99: the ingest until it hands the event to Kafka (the raw record's timestamp), Kafka's acknowledgement until
 * the 202, the router and the fan-out until the fan-out writes the delivery (the delivery record's timestamp), and
 * the delivery stage until the mail arrives (the fan-out's commit included). All clocks are this machine's;
 * Kafka's timestamps are in milliseconds;
 * <li>{@code slack-window <arrivals> <id-prefix> <events> <window-s> <per-second> <burst>}: the most Slack requests in
 * any window, and lost/doubled messages per channel counted by event id and destination;
 * <li>{@code partitions <bootstrap>}: which deliveries partition each destination's records are on;
 * <li>{@code outcomes <bootstrap> <id-prefix> <per-channel> <timeout-s>}: reads the outcomes topic until every channel
 * has {@code per-channel} distinct deliveries of those events marked sent (folded ones included), then prints per channel
 * how many were sent alone and how many folded, and the span from the first to the last outcome.
 * </ul>
 */
public final class NotifierLoad {

    private NotifierLoad() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "preload" -> preload(args[1], args[2], Integer.parseInt(args[3]), args[4]);
            case "await" -> await(args[1], args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]));
            case "throughput" -> throughput(Path.of(args[1]), args[2], args[3]);
            case "smtp-loop" -> smtpLoop(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]), Integer.parseInt(args[7]));
            case "post" -> post(args[1], args[2], args[3], Double.parseDouble(args[4]), Integer.parseInt(args[5]),
                    args[6], Path.of(args[7]), args.length > 8 ? Integer.parseInt(args[8]) : 0);
            case "latency" -> latency(Path.of(args[1]), Path.of(args[2]), args[3], args[4],
                    args.length > 5 ? Integer.parseInt(args[5]) : 0);
            case "stages" -> stages(args[1], Path.of(args[2]), Path.of(args[3]), args[4]);
            case "slack-window" -> slackWindow(Path.of(args[1]), args[2], Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Double.parseDouble(args[5]), Integer.parseInt(args[6]));
            case "partitions" -> partitions(args[1]);
            case "outcomes" -> outcomes(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            default -> throw new IllegalArgumentException(
                    "preload|await|throughput|smtp-loop|post|latency|stages|slack-window|partitions|outcomes");
        }
    }

    // ---- load ----

    static void preload(String bootstrap, String typeList, int n, String idPrefix) throws Exception {
        List<EventType> types = typeList.equals("all") ? Arrays.asList(EventType.values())
                : Arrays.stream(typeList.split(",")).map(name -> Arrays.stream(EventType.values())
                        .filter(t -> t.typeName().equals(name)).findFirst().orElseThrow()).toList();
        Topics topics = Topics.withDefaultPrefix();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 65536),
                new StringSerializer(), new ByteArraySerializer())) {
            long started = System.nanoTime();
            for (int i = 0; i < n; i++) {
                EventType type = types.get(i % types.size());
                String id = idPrefix + i;
                RecordHeaders headers = new RecordHeaders();
                headers.add(EventHeaders.CE_SPECVERSION, utf8(EventHeaders.SPEC_VERSION));
                headers.add(EventHeaders.CE_ID, utf8(id));
                headers.add(EventHeaders.CE_TYPE, utf8(type.typeName()));
                headers.add(EventHeaders.CE_TIME, utf8(Instant.now().toString()));
                headers.add(EventHeaders.CONTENT_TYPE, utf8(EventHeaders.JSON));
                producer.send(new ProducerRecord<>(topics.forType(type), null, id, DocumentedExamples.of(type), headers));
            }
            producer.flush();
            System.out.printf("preloaded %d events (%s) in %.1f s%n", n, typeList, seconds(started));
        }
    }

    static void await(String sinks, String channel, long n, int timeoutSeconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long lastPrint = System.nanoTime();
        while (true) {
            String[] counts = http.send(HttpRequest.newBuilder(URI.create(sinks + "/count")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().trim().split(" ");
            long count = Long.parseLong(channel.equals("email") ? counts[0] : counts[1]);
            if (count >= n) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.out.printf("TIMEOUT: %d of %d %s arrived within %d s%n", count, n, channel, timeoutSeconds);
                System.exit(3);
            }
            if (System.nanoTime() - lastPrint > TimeUnit.SECONDS.toNanos(30)) {
                System.err.printf("    ... %d of %d %s%n", count, n, channel);
                lastPrint = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    static void smtpLoop(String host, int port, int n, int concurrency, int mailboxes, int bytes, int pool) throws Exception {
        Vertx vertx = Vertx.vertx();
        // quarkus-mailer's defaults (max-pool-size 10, keep-alive) with the notifier's settings (start-tls disabled).
        MailClient client = MailClient.create(vertx, new MailConfig().setHostname(host).setPort(port)
                .setStarttls(StartTLSOptions.DISABLED).setKeepAlive(true).setMaxPoolSize(pool));
        String html = "<html><body>" + "x".repeat(Math.max(0, bytes / 2 - 30)) + "</body></html>";
        String text = "y".repeat(Math.max(0, bytes / 2 - 30));
        // Warm-up (not timed): the JIT, and the pool's connections opened.
        sendAll(client, "warm-", Math.min(n, 2000), concurrency, mailboxes, html, text);
        long started = System.nanoTime();
        int failed = sendAll(client, "loop-", n, concurrency, mailboxes, html, text);
        double took = seconds(started);
        System.out.printf("plain Vert.x mail loop: %d mails, concurrency %d, pool %d, %d mailboxes: %.1f s, %.0f mails/s%s%n",
                n, concurrency, pool, mailboxes, took, n / took, failed == 0 ? "" : " (" + failed + " FAILED)");
        client.close();
        vertx.close();
    }

    private static int sendAll(MailClient client, String prefix, int n, int concurrency, int mailboxes, String html,
            String text) throws InterruptedException {
        Semaphore outstanding = new Semaphore(concurrency);
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            outstanding.acquire();
            MailMessage mail = new MailMessage().setFrom("herald@localhost").setTo("box-" + (i % mailboxes) + "@bench.local")
                    .setSubject("Spot instance i-0abc12d345ef678 rolled back in eu-central-1 (" + i + ")")
                    .setHtml(html).setText(text);
            mail.addHeader("Message-ID", "<" + prefix + i + "@herald>");
            mail.addHeader("X-Herald-Event-Id", prefix + i);
            client.sendMail(mail).onComplete(result -> {
                if (result.failed()) {
                    failed.incrementAndGet();
                }
                outstanding.release();
                done.countDown();
            });
        }
        done.await();
        return failed.get();
    }

    /** {@code body}: a file posted every time, or {@code all}: the eight documented examples in turn. */
    static void post(String url, String token, String body, double rate, int seconds, String idPrefix, Path out,
            int leadInSeconds) throws Exception {
        List<Buffer> bodies = body.equals("all")
                ? Arrays.stream(EventType.values()).map(type -> Buffer.buffer(DocumentedExamples.of(type))).toList()
                : List.of(Buffer.buffer(Files.readAllBytes(Path.of(body))));
        // Vert.x's HTTP client, keep-alive: the generator shares the machine with the pipeline, and the JDK's client
        // took about 2 ms of CPU per request here (0.4 of the 2 cores at 200/s), a load Uniskai's sender does not put
        // on Herald's nodes.
        Vertx vertx = Vertx.vertx();
        io.vertx.core.http.HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setMaxPoolSize(256));
        int total = (int) Math.round(rate * seconds);
        int leadIn = (int) Math.round(rate * leadInSeconds);
        ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        CountDownLatch answered = new CountDownLatch(total);
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = (long) (1e9 / rate);
        clock.scheduleAtFixedRate(() -> {
            int n = next.getAndIncrement();
            if (n >= leadIn + total) {
                return;
            }
            boolean measured = n >= leadIn;
            String id = measured ? idPrefix + (n - leadIn) : "lead-" + idPrefix + n;
            long sent = nowMicros();
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                    .setIdleTimeout(30_000).putHeader("Authorization", "Bearer " + token)
                    .putHeader("Content-Type", "application/json").putHeader("webhook-id", id);
            Buffer posted = bodies.get(n % bodies.size());
            http.request(request).compose(sending -> sending.send(posted))
                    .compose(response -> response.body().map(ignored -> response.statusCode())).onComplete(answer -> {
                long acked = nowMicros();
                int status = answer.failed() ? -1 : answer.result();
                if (!measured) {
                    return;
                }
                if (status == 202) {
                    accepted.incrementAndGet();
                }
                lines.add(id + "\t" + sent + "\t" + acked + "\t" + status);
                answered.countDown();
            });
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        answered.await(leadInSeconds + seconds + 60L, TimeUnit.SECONDS);
        clock.shutdownNow();
        try (BufferedWriter writer = Files.newBufferedWriter(out)) {
            for (String line : lines) {
                writer.write(line);
                writer.newLine();
            }
        }
        long[] ingest = lines.stream().mapToLong(line -> {
            String[] f = line.split("\t");
            return Long.parseLong(f[2]) - Long.parseLong(f[1]);
        }).sorted().toArray();
        // This generator shares the machine with the pipeline: its own CPU is part of the picture.
        double cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
        System.out.printf("posted %d events at %.0f/s for %d s%s: %d answered 202; ingest answer p50 %.1f ms, p99 %.1f ms"
                + " (this generator: %.1f CPU seconds)%n", total, rate, seconds,
                leadIn > 0 ? " after a lead-in of " + leadInSeconds + " s at that rate" : "", accepted.get(),
                pct(ingest, 50) / 1000.0, pct(ingest, 99) / 1000.0, cpu);
        System.exit(0);
    }

    // ---- figures ----

    record Arrival(long micros, String channel, String to, String eventId, int bytes) {
    }

    static List<Arrival> arrivals(Path file) throws Exception {
        List<Arrival> all = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            for (String line; (line = reader.readLine()) != null; ) {
                String[] f = line.split("\t");
                if (f.length == 5) {
                    all.add(new Arrival(Long.parseLong(f[0]), f[1], f[2], f[3], Integer.parseInt(f[4])));
                }
            }
        }
        return all;
    }

    static void throughput(Path file, String idPrefix, String label) throws Exception {
        List<Arrival> mine = arrivals(file).stream().filter(a -> a.channel().equals("email") && a.eventId().startsWith(idPrefix)).toList();
        long first = mine.stream().mapToLong(Arrival::micros).min().orElse(0);
        long last = mine.stream().mapToLong(Arrival::micros).max().orElse(0);
        Set<String> unique = new HashSet<>();
        mine.forEach(a -> unique.add(a.eventId() + " " + a.to()));
        double took = (last - first) / 1e6;
        double avgBytes = mine.stream().mapToInt(Arrival::bytes).average().orElse(0);
        System.out.printf("%s: %d emails (%d distinct, %d doubled), first to last arrival %.1f s: %.0f emails/s; %.0f bytes each%n",
                label, mine.size(), unique.size(), mine.size() - unique.size(), took, (mine.size() - 1) / took, avgBytes);
        // The second half alone: by then the fan-out has mostly run ahead, so this is close to the delivery stage's rate
        // draining a backlog; the whole first-to-last rate above is the one to compare with the plain loop.
        long[] times = mine.stream().mapToLong(Arrival::micros).sorted().toArray();
        if (times.length >= 1000) {
            int half = times.length / 2;
            double warm = (times[times.length - 1] - times[half]) / 1e6;
            System.out.printf("  second half (delivery draining a backlog): %d emails in %.1f s: %.0f emails/s%n", times.length - 1 - half, warm,
                    (times.length - 1 - half) / warm);
        }
        System.out.printf("BYTES %d%n", Math.round(avgBytes));
    }

    static void latency(Path posts, Path arrivalsFile, String channel, String label, int bucketSeconds)
            throws Exception {
        Map<String, Long> acked = new HashMap<>();
        Map<String, Long> sent = new HashMap<>();
        for (String line : Files.readAllLines(posts)) {
            String[] f = line.split("\t");
            if (f[3].equals("202")) {
                acked.put(f[0], Long.parseLong(f[2]));
                sent.put(f[0], Long.parseLong(f[1]));
            }
        }
        long firstSent = sent.values().stream().mapToLong(Long::longValue).min().orElse(0);
        List<Long> latencies = new ArrayList<>();
        Map<Long, List<Long>> buckets = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        for (Arrival arrival : arrivals(arrivalsFile)) {
            Long ack = acked.get(arrival.eventId());
            if (ack != null && arrival.channel().equals(channel)) {
                latencies.add(arrival.micros() - ack);
                seen.add(arrival.eventId());
                if (bucketSeconds > 0) {
                    buckets.computeIfAbsent((sent.get(arrival.eventId()) - firstSent) / (bucketSeconds * 1_000_000L),
                            b -> new ArrayList<>()).add(arrival.micros() - ack);
                }
            }
        }
        buckets.forEach((bucket, values) -> {
            long[] inBucket = values.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%s, posted %3d-%3d s: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", label, bucket * bucketSeconds,
                    (bucket + 1) * bucketSeconds, pct(inBucket, 50) / 1000.0, pct(inBucket, 99) / 1000.0,
                    inBucket[inBucket.length - 1] / 1000.0);
        });
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s: %s %d arrived of %d events accepted (%d events seen): p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                label, channel, sorted.length, acked.size(), seen.size(), pct(sorted, 50) / 1000.0, pct(sorted, 99) / 1000.0,
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
    }

    /** The ids {@code prefix} and a number: "split-" takes split-7, not split-warm-7. */
    static boolean ofPrefix(String eventId, String prefix) {
        return eventId.length() > prefix.length() && eventId.startsWith(prefix)
                && eventId.substring(prefix.length()).chars().allMatch(Character::isDigit);
    }

    static void stages(String bootstrap, Path posts, Path arrivalsFile, String label) throws Exception {
        Map<String, long[]> post = new HashMap<>();
        for (String line : Files.readAllLines(posts)) {
            String[] f = line.split("\t");
            if (f[3].equals("202")) {
                post.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        Topics topics = Topics.withDefaultPrefix();
        Map<String, Long> raw = createdMicros(bootstrap, topics.raw(), post.keySet(), null);
        Map<String, Long> delivery = createdMicros(bootstrap, topics.deliveries(), post.keySet(), "email");
        Map<String, Long> arrival = new HashMap<>();
        for (Arrival a : arrivals(arrivalsFile)) {
            if (a.channel().equals("email") && post.containsKey(a.eventId())) {
                arrival.merge(a.eventId(), a.micros(), Math::min);
            }
        }
        List<Long> toRaw = new ArrayList<>();
        List<Long> toAck = new ArrayList<>();
        List<Long> toDelivery = new ArrayList<>();
        List<Long> toMail = new ArrayList<>();
        post.forEach((id, times) -> {
            Long r = raw.get(id);
            Long d = delivery.get(id);
            Long m = arrival.get(id);
            if (r != null && d != null && m != null) {
                toRaw.add(r - times[0]);
                toAck.add(times[1] - r);
                toDelivery.add(d - times[1]);
                toMail.add(m - d);
            }
        });
        System.out.printf("%s, per stage (%d of %d events traced), p50 / p99 ms: ingest to Kafka %s; Kafka's ack to the 202 %s;"
                + " router and fan-out to the delivery record %s; delivery stage to the mail %s%n", label, toRaw.size(),
                post.size(), spread(toRaw), spread(toAck), spread(toDelivery), spread(toMail));
    }

    /** Each event's first record on {@code topic} (of {@code channel}, if given): its timestamp, in microseconds. */
    private static Map<String, Long> createdMicros(String bootstrap, String topic, Set<String> ids, String channel) {
        Map<String, Long> created = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = fromTheStart(bootstrap, topic)) {
            for (int empty = 0; empty < 2; ) {
                var batch = consumer.poll(Duration.ofMillis(500));
                empty = batch.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<String, byte[]> record : batch) {
                    var id = record.headers().lastHeader(EventHeaders.CE_ID);
                    var onChannel = record.headers().lastHeader(DeliveryHeaders.CHANNEL);
                    if (id == null || (channel != null && (onChannel == null
                            || !channel.equals(new String(onChannel.value(), StandardCharsets.UTF_8))))) {
                        continue;
                    }
                    String eventId = new String(id.value(), StandardCharsets.UTF_8);
                    if (ids.contains(eventId)) {
                        created.merge(eventId, record.timestamp() * 1000, Math::min);
                    }
                }
            }
        }
        return created;
    }

    private static String spread(List<Long> micros) {
        long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("%.0f / %.0f", pct(sorted, 50) / 1000.0, pct(sorted, 99) / 1000.0);
    }

    static void slackWindow(Path file, String idPrefix, int events, int windowSeconds, double perSecond, int burst)
            throws Exception {
        List<Arrival> all = arrivals(file);
        List<Arrival> mine = all.stream().filter(a -> ofPrefix(a.eventId(), idPrefix)).toList();
        // The windows count every Slack request the sink took (a warm-up's and a lead-in's too), the losses and copies
        // the events of idPrefix.
        long[] slack = all.stream().filter(a -> a.channel().equals("slack")).mapToLong(Arrival::micros).sorted().toArray();
        long window = windowSeconds * 1_000_000L;
        int most = 0;
        long mostAt = 0;
        for (int start = 0, end = 0; start < slack.length; start++) {
            while (end < slack.length && slack[end] - slack[start] < window) {
                end++;
            }
            if (end - start > most) {
                most = end - start;
                mostAt = slack[start];
            }
        }
        double took = slack.length < 2 ? 0 : (slack[slack.length - 1] - slack[0]) / 1e6;
        System.out.printf("Slack: %d requests over %.1f s (%.2f/s); most in any %d s window: %d (limit %d x %.0f/s + burst %d = %.0f)%n",
                slack.length, took, slack.length < 2 ? 0 : (slack.length - 1) / took, windowSeconds, most, windowSeconds,
                perSecond, burst, windowSeconds * perSecond + burst);
        for (String channel : List.of("email", "slack")) {
            Map<String, Integer> counts = new TreeMap<>();
            Set<String> destinations = new HashSet<>();
            mine.stream().filter(a -> a.channel().equals(channel)).forEach(a -> {
                counts.merge(a.eventId() + " " + a.to(), 1, Integer::sum);
                destinations.add(a.to());
            });
            int doubled = counts.values().stream().mapToInt(c -> c - 1).sum();
            Set<String> ids = new HashSet<>();
            counts.keySet().forEach(key -> ids.add(key.substring(0, key.indexOf(' '))));
            int lost = 0;
            for (int i = 0; i < events; i++) {
                if (!ids.contains(idPrefix + i)) {
                    lost++;
                }
            }
            System.out.printf("  %s: %d messages to %d destination(s), %d events of %d seen: %d lost, %d doubled%n", channel,
                    counts.values().stream().mapToInt(Integer::intValue).sum(), destinations.size(), ids.size(), events, lost,
                    doubled);
        }
        System.out.printf("  (busiest window starts %s)%n", Instant.ofEpochSecond(mostAt / 1_000_000, (mostAt % 1_000_000) * 1000));
    }

    static void outcomes(String bootstrap, String idPrefix, int perChannel, int timeoutSeconds) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String topic = Topics.withDefaultPrefix().outcomes();
        Map<String, Set<String>> sent = new TreeMap<>();
        Map<String, AtomicInteger> folded = new TreeMap<>();
        Map<String, AtomicInteger> sentTwice = new TreeMap<>();
        Instant first = null;
        Instant last = null;
        try (KafkaConsumer<String, byte[]> consumer = fromTheStart(bootstrap, topic)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (sent.size() < 2 || sent.values().stream().anyMatch(ids -> ids.size() < perChannel)) {
                if (System.nanoTime() > deadline) {
                    System.out.printf("TIMEOUT: sent so far %s%n", sent.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue().size()).toList());
                    System.exit(3);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    var outcome = json.readTree(record.value());
                    if (!outcome.path("eventId").asText().startsWith(idPrefix) || !"sent".equals(outcome.path("outcome").asText())) {
                        continue;
                    }
                    String channel = outcome.path("channel").asText();
                    if (!sent.computeIfAbsent(channel, c -> new HashSet<>()).add(outcome.path("deliveryId").asText())) {
                        sentTwice.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
                    }
                    if (outcome.path("error").asText("").startsWith("folded")) {
                        folded.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
                    }
                    Instant at = Instant.parse(outcome.path("at").asText());
                    first = first == null || at.isBefore(first) ? at : first;
                    last = last == null || at.isAfter(last) ? at : last;
                }
            }
        }
        for (var entry : sent.entrySet()) {
            int foldedCount = folded.getOrDefault(entry.getKey(), new AtomicInteger()).get();
            System.out.printf("%s: %d deliveries marked sent (%d alone, %d folded), %d marked sent twice%n", entry.getKey(),
                    entry.getValue().size(), entry.getValue().size() - foldedCount, foldedCount,
                    sentTwice.getOrDefault(entry.getKey(), new AtomicInteger()).get());
        }
        System.out.printf("first to last outcome: %.1f s%n", Duration.between(first, last).toMillis() / 1000.0);
    }

    /** A reader of every partition of {@code topic}, committed records only, from the first. */
    private static KafkaConsumer<String, byte[]> fromTheStart(String bootstrap, String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> all = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(all);
        consumer.seekToBeginning(all);
        return consumer;
    }

    static void partitions(String bootstrap) {
        String topic = Topics.withDefaultPrefix().deliveries();
        try (KafkaConsumer<String, byte[]> consumer = fromTheStart(bootstrap, topic)) {
            Map<String, Set<Integer>> where = new TreeMap<>();
            int read = 0;
            for (int empty = 0; empty < 2 && read < 50_000; ) {
                var batch = consumer.poll(Duration.ofMillis(500));
                empty = batch.isEmpty() ? empty + 1 : 0;
                read += batch.count();
                for (ConsumerRecord<String, byte[]> record : batch) {
                    var channel = record.headers().lastHeader(DeliveryHeaders.CHANNEL);
                    var destination = record.headers().lastHeader(DeliveryHeaders.DESTINATION);
                    String name = (channel == null ? "?" : new String(channel.value(), StandardCharsets.UTF_8)) + " "
                            + (destination == null ? "?" : new String(destination.value(), StandardCharsets.UTF_8));
                    where.computeIfAbsent(name, k -> new HashSet<>()).add(record.partition());
                }
            }
            where.forEach((name, partitions) -> System.out.printf("  deliveries partition %s: %s%n", partitions, name));
        }
    }

    // ---- helpers ----

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
