package com.flexwebchat.emulator.http;

import com.flexwebchat.emulator.EmulatorAccount;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK HTTP server that serves the routed operations: every exchange goes through a {@link Dispatcher} (delay,
 * authentication, failure, operation, journal) on a daemon thread of its own, so a delayed answer doesn't hold up
 * others. The pool grows with the requests in flight, as Twilio's capacity does: a pre-event webhook is delivered
 * on the thread of the request that raised it (the message waits for its answer), and the webhook's handler calls
 * the emulator back; with a fixed pool of 16, 16 messages posted at once held every thread while their webhooks'
 * calls queued behind them, each until the webhook's own budget ran out (`./run-local load` at 50 clients: p90
 * 1.5 s on every route, 202 "Could not read the conversation's state").
 */
public final class ApiServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private ApiServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving {@code router}'s operations for {@code account} on {@code bind}:{@code port} (0 picks a free port). */
    public static ApiServer start(InetAddress bind, int port, EmulatorAccount account, Router router, Faults faults,
                                  Journal journal, StateLock state) throws IOException {
        // The JDK server leaves Nagle's algorithm on, so each small answer waits ~40 ms for the
        // client's delayed ACK; Twilio answers without that delay. Read once, when the first
        // server of the JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", new Dispatcher(router, new Credentials(account), faults, journal, state));
        server.start();
        return new ApiServer(server, executor);
    }

    /** {@code http://127.0.0.1:PORT}, or the bound address when it is neither loopback nor the wildcard. */
    public String baseUrl() {
        InetAddress bound = server.getAddress().getAddress();
        String host = bound.isAnyLocalAddress() || bound.isLoopbackAddress() ? "127.0.0.1" : bound.getHostAddress();
        return "http://" + host + ":" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "twilio-emulator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
