package dev.herald.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local run's stand-ins for a mail server and Slack: a real SMTP server (GreenMail) and an HTTP server that
 * answers like Slack's incoming webhooks at {@code /slack/<channel>}. Both keep what they receive (mails as .eml,
 * Slack messages as JSON under the data directory) and show it at {@code /} and as JSON at {@code /api/messages}.
 *
 * <pre>java dev.herald.local.LocalSinks [--smtp-port 2525] [--http-port 8025] [--http-host 127.0.0.1]
 *      [--data-dir .herald/sinks]</pre>
 */
public final class LocalSinks {

    private static final Pattern SLACK_EVENT_ID = Pattern.compile("event (\\S+) ·");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GreenMail smtp;
    private final Path slackDir;
    private final Path mailDir;
    private final List<ObjectNode> slackMessages = new ArrayList<>();

    private LocalSinks(GreenMail smtp, Path dataDir) throws IOException {
        this.smtp = smtp;
        this.slackDir = Files.createDirectories(dataDir.resolve("slack"));
        this.mailDir = Files.createDirectories(dataDir.resolve("mail"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args);
        int smtpPort = Integer.parseInt(options.getOrDefault("smtp-port", "2525"));
        int httpPort = Integer.parseInt(options.getOrDefault("http-port", "8025"));
        Path dataDir = Path.of(options.getOrDefault("data-dir", ".herald/sinks"));
        // Loopback unless told otherwise (in a container the sink must answer other containers).
        InetAddress host = InetAddress.getByName(options.getOrDefault("http-host", "127.0.0.1"));

        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, host.getHostAddress(), ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        LocalSinks sinks = new LocalSinks(smtp, dataDir);
        HttpServer http = HttpServer.create(new InetSocketAddress(host, httpPort), 0);
        http.createContext("/slack/", sinks::receiveSlack);
        http.createContext("/api/messages", sinks::listJson);
        http.createContext("/api/deliveries", sinks::listOfEvent);
        http.createContext("/health", exchange -> respond(exchange, 200, "text/plain", "UP"));
        http.createContext("/", sinks::page);
        http.start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(0);
            smtp.stop();
            stopped.countDown();
        }, "herald-sinks-stop"));
        System.out.println("Local sinks ready: SMTP on 127.0.0.1:" + smtpPort + ", Slack webhooks at http://127.0.0.1:"
                + httpPort + "/slack/<channel>, messages at http://127.0.0.1:" + httpPort + "/");
        stopped.await();
    }

    private synchronized void receiveSlack(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            respond(exchange, 405, "text/plain", "invalid_method");
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        JsonNode payload;
        try {
            payload = JSON.readTree(body);
        } catch (IOException e) {
            respond(exchange, 400, "text/plain", "invalid_payload");
            return;
        }
        if (payload == null || !payload.hasNonNull("text")) {
            respond(exchange, 400, "text/plain", "no_text");
            return;
        }
        ObjectNode message = JSON.createObjectNode();
        message.put("channel", "slack");
        message.put("to", exchange.getRequestURI().getPath().substring("/slack/".length()));
        message.put("receivedAt", Instant.now().toString());
        message.put("eventId", eventIdOf(payload));
        message.put("text", payload.get("text").asText());
        message.set("payload", payload);
        slackMessages.add(message);
        Files.write(slackDir.resolve(String.format("%05d.json", slackMessages.size())), body);
        respond(exchange, 200, "text/plain", "ok");
    }

    private static String eventIdOf(JsonNode payload) {
        Matcher matcher = SLACK_EVENT_ID.matcher(payload.toString());
        return matcher.find() ? matcher.group(1) : null;
    }

    private synchronized ArrayNode messages() throws IOException {
        ArrayNode all = JSON.createArrayNode();
        MimeMessage[] mails = smtp.getReceivedMessages();
        for (int i = 0; i < mails.length; i++) {
            MimeMessage mail = mails[i];
            try {
                ObjectNode message = JSON.createObjectNode();
                message.put("channel", "email");
                message.put("to", String.join(", ", Arrays.stream(mail.getRecipients(Message.RecipientType.TO))
                        .map(Object::toString).toList()));
                message.put("receivedAt", mail.getReceivedDate() == null ? null : mail.getReceivedDate().toInstant().toString());
                String[] eventId = mail.getHeader("X-Herald-Event-Id");
                message.put("eventId", eventId == null ? null : eventId[0]);
                message.put("text", mail.getSubject());
                all.add(message);
                Path eml = mailDir.resolve(String.format("%05d.eml", i + 1));
                if (!Files.exists(eml)) {
                    try (OutputStream out = Files.newOutputStream(eml)) {
                        mail.writeTo(out);
                    }
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IOException(e);
            }
        }
        slackMessages.forEach(message -> all.add(message.deepCopy().without("payload")));
        return all;
    }

    private void listJson(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "application/json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(messages()));
    }

    /** {@code /api/deliveries?event=<id>}: one "channel TAB to TAB subject-or-text" line per delivery of that event. */
    private void listOfEvent(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        String eventId = query != null && query.startsWith("event=") ? query.substring("event=".length()) : "";
        StringBuilder lines = new StringBuilder();
        for (JsonNode message : messages()) {
            if (eventId.equals(message.path("eventId").asText())) {
                lines.append(message.path("channel").asText()).append('\t').append(message.path("to").asText())
                        .append('\t').append(message.path("text").asText().replaceAll("\\s+", " ")).append('\n');
            }
        }
        respond(exchange, 200, "text/tab-separated-values; charset=utf-8", lines.toString());
    }

    private void page(HttpExchange exchange) throws IOException {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Herald local sinks"
                + "</title><meta http-equiv=\"refresh\" content=\"5\"></head><body style=\"font-family:sans-serif\">"
                + "<h1>Herald: what was delivered</h1><table cellpadding=\"6\" border=\"1\" style=\"border-collapse:collapse\">"
                + "<tr><th>received</th><th>channel</th><th>to</th><th>event</th><th>subject / text</th></tr>");
        for (JsonNode message : messages()) {
            html.append("<tr>");
            for (String field : List.of("receivedAt", "channel", "to", "eventId", "text")) {
                html.append("<td>").append(escape(message.path(field).asText(""))).append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table><p>Mails are kept as .eml files and Slack messages as JSON under the sinks' data "
                + "directory; <a href=\"/api/messages\">JSON</a>.</p></body></html>");
        respond(exchange, 200, "text/html; charset=utf-8", html.toString());
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
