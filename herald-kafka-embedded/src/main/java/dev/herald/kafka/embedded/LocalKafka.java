package dev.herald.kafka.embedded;

import dev.herald.events.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The broker of Herald's local run: {@code 127.0.0.1:9092} by default, data kept in a directory so that a
 * restart loses nothing, every Herald topic created, stopped cleanly on SIGTERM.
 *
 * <pre>java dev.herald.kafka.embedded.LocalKafka [--port 9092] [--data-dir .herald/kafka]
 *      [--topic-prefix uniskai] [--partitions 3]</pre>
 */
public final class LocalKafka {

    private LocalKafka() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = Options.parse(args);
        int port = Integer.parseInt(options.getOrDefault("port", "9092"));
        Path dataDir = Path.of(options.getOrDefault("data-dir", ".herald/kafka"));
        Topics topics = new Topics(options.getOrDefault("topic-prefix", Topics.DEFAULT_PREFIX));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "3"));

        KafkaBroker broker = KafkaBroker.create(port, dataDir.toAbsolutePath(), Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }, "herald-kafka-stop"));

        broker.start();
        broker.createTopics(topics.all(), partitions);
        System.out.println("Kafka ready on " + broker.bootstrapServers() + ", data in " + broker.dataDir()
                + ", " + topics.all().size() + " Herald topics present");
        stopped.await();
    }

    /** {@code --name value} pairs. */
    static final class Options {
        static Map<String, String> parse(String[] args) {
            Map<String, String> options = new java.util.HashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
                }
                options.put(args[i].substring(2), args[i + 1]);
            }
            return options;
        }
    }
}
