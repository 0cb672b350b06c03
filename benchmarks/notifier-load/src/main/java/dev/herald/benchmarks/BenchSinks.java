package dev.herald.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's stand-ins for a mail server and Slack, which timestamp every arrival (LocalSinks keeps mails in
 * GreenMail and shows no arrival time of its own): a minimal SMTP server (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT;
 * one thread per connection) and an HTTP server answering like Slack's incoming webhooks at {@code /slack/<channel>}.
 * Each arrival is one line of the arrivals file: {@code epochMicros TAB channel TAB to TAB eventId TAB bytes}, where a
 * mail's event id is its {@code X-Herald-Event-Id} header and a Slack message's the "event <id> ·" of its text.
 * {@code GET /count} answers "emails slack".
 *
 * <pre>java dev.herald.benchmarks.BenchSinks &lt;smtp-port&gt; &lt;http-port&gt; &lt;arrivals-file&gt;</pre>
 */
public final class BenchSinks {

    private static final Pattern SLACK_EVENT_ID = Pattern.compile("event (\\S+) ·");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter arrivals;
    private final AtomicLong emails = new AtomicLong();
    private final AtomicLong slack = new AtomicLong();

    private BenchSinks(Path file) throws IOException {
        arrivals = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        int smtpPort = Integer.parseInt(args[0]);
        int httpPort = Integer.parseInt(args[1]);
        BenchSinks sinks = new BenchSinks(Path.of(args[2]));
        var flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "flush");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(sinks::flush, 100, 100, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(sinks::flush));

        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 64);
        http.createContext("/slack/", sinks::slack);
        http.createContext("/count", exchange -> respond(exchange, 200, sinks.emails.get() + " " + sinks.slack.get() + "\n"));
        http.createContext("/health", exchange -> respond(exchange, 200, "ok\n"));
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.start();

        ExecutorService connections = Executors.newCachedThreadPool();
        try (ServerSocket server = new ServerSocket(smtpPort, 128, InetAddress.getLoopbackAddress())) {
            System.out.println("Bench sinks ready: SMTP 127.0.0.1:" + smtpPort + ", HTTP 127.0.0.1:" + httpPort);
            while (true) {
                Socket socket = server.accept();
                connections.execute(() -> sinks.smtp(socket));
            }
        }
    }

    private void record(String channel, String to, String eventId, int bytes) {
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        synchronized (arrivals) {
            try {
                arrivals.write(micros + "\t" + channel + "\t" + to + "\t" + eventId + "\t" + bytes + "\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void flush() {
        synchronized (arrivals) {
            try {
                arrivals.flush();
            } catch (IOException e) {
                System.err.println("cannot flush the arrivals: " + e);
            }
        }
    }

    private void slack(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String text;
        try {
            text = JSON.readTree(body).toString();
        } catch (IOException e) {
            respond(exchange, 400, "invalid_payload");
            return;
        }
        Matcher matcher = SLACK_EVENT_ID.matcher(text);
        record("slack", exchange.getRequestURI().getPath().substring("/slack/".length()),
                matcher.find() ? matcher.group(1) : "-", body.length);
        slack.incrementAndGet();
        respond(exchange, 200, "ok");
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void smtp(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
            OutputStream out = socket.getOutputStream();
            reply(out, "220 bench ESMTP");
            String to = null;
            String line;
            while ((line = readLine(in)) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
                switch (command) {
                    case "EHLO" -> reply(out, "250-bench\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 SIZE 104857600");
                    case "HELO" -> reply(out, "250 bench");
                    case "MAIL" -> {
                        to = null;
                        reply(out, "250 OK");
                    }
                    case "RCPT" -> {
                        String address = line.substring(line.indexOf(':') + 1).trim();
                        address = address.replace("<", "").replace(">", "");
                        to = to == null ? address : to + "," + address;
                        reply(out, "250 OK");
                    }
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        data(in, to);
                        reply(out, "250 OK queued");
                        to = null;
                    }
                    case "RSET" -> {
                        to = null;
                        reply(out, "250 OK");
                    }
                    case "NOOP" -> reply(out, "250 OK");
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "502 not implemented");
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Reads the message up to the lone dot; the event id is in the header section. */
    private void data(InputStream in, String to) throws IOException {
        String eventId = "-";
        boolean headers = true;
        int bytes = 0;
        String line;
        while ((line = readLine(in)) != null && !line.equals(".")) {
            bytes += line.length() + 2;
            if (headers) {
                if (line.isEmpty()) {
                    headers = false;
                } else if (line.regionMatches(true, 0, "X-Herald-Event-Id:", 0, 18)) {
                    eventId = line.substring(18).trim();
                }
            }
        }
        record("email", to, eventId, bytes);
        emails.incrementAndGet();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
