package dev.herald.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server that answers like Slack's incoming webhooks: {@code 200 ok} for a message it keeps, and a
 * {@code 500} for the first {@code failures} calls, so that one delivery is attempted again.
 */
final class SlackStandIn implements AutoCloseable {

    private final HttpServer server;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft;

    SlackStandIn(int failures) {
        this.failuresLeft = new AtomicInteger(failures);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::receive);
        server.start();
    }

    /** The prefix every webhook URL of this stand-in starts with. */
    String urlPrefix() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    String webhook(String path) {
        return urlPrefix() + "services/" + path;
    }

    /** The bodies of the messages answered with 200. */
    List<String> messages() {
        return List.copyOf(messages);
    }

    private void receive(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        boolean fail = failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
        if (!fail) {
            messages.add(new String(body, StandardCharsets.UTF_8));
        }
        byte[] answer = (fail ? "internal_error" : "ok").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(fail ? 500 : 200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
