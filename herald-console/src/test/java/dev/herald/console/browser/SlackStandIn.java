package dev.herald.console.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Slack incoming webhook that answers 500 until it {@link #recover}s, then "ok"; keeps what it accepted. */
final class SlackStandIn implements AutoCloseable {

    private final HttpServer server;
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private volatile boolean down = true;

    SlackStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = (down ? "internal_error" : "ok").getBytes(StandardCharsets.UTF_8);
            if (!down) {
                accepted.add(body);
            }
            exchange.sendResponseHeaders(down ? 500 : 200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    String urlPrefix() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    String webhook() {
        return urlPrefix() + "services/T0CONSOLE/B0CONSOLE/ops";
    }

    void recover() {
        down = false;
    }

    List<String> accepted() {
        return accepted;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
