package dev.herald.kafka.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port for a process the tests start and that binds it later. Chosen below the kernel's ephemeral range (Linux:
 * 32768 and up), where no outgoing connection of an already running process can take it between the choice and the
 * bind (a port from {@code new ServerSocket(0)} can be, and was: a rehearsal pod found its port taken by a Kafka
 * client's connection); and never the same twice in one JVM.
 */
public final class ListenPort {

    private static final int FIRST = 20_000;
    private static final int LAST = 32_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static int next = FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST);

    private ListenPort() {
    }

    /** A loopback port free now, outside the ephemeral range, not handed out before by this JVM. */
    public static synchronized int free() {
        for (int tried = 0; tried <= LAST - FIRST; tried++) {
            int port = next;
            next = port >= LAST ? FIRST : port + 1;
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                HANDED_OUT.add(port);
                return socket.getLocalPort();
            } catch (IOException inUse) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free loopback port between " + FIRST + " and " + LAST);
    }
}
