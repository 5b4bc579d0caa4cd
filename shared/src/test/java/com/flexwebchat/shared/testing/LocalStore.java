package com.flexwebchat.shared.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.aws.DynamoDb;
import com.flexwebchat.shared.store.WebChatStore;
import com.flexwebchat.standins.LocalDynamo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The store for tests of the store's own classes, without a Twilio: the JVM's dynalite
 * ({@link EmulatedTwilio#dynamo()}), answering and empty before each test, and answering again after
 * it (a test may have paused it).
 */
public final class LocalStore implements BeforeEachCallback, AfterEachCallback {

    /** Short, so tests of a store that never answers stay quick; production's is WebChatRuntime.STORE_TIMEOUT. */
    public static final Duration TIMEOUT = Duration.ofMillis(300);

    private static volatile boolean paused;

    public LocalDynamo engine() {
        return EmulatedTwilio.dynamo();
    }

    /** A client of the engine, as a function builds it from its environment. */
    public DynamoDb db(Duration timeout) {
        return DynamoDb.fromEnvironment(engine().environment(), timeout);
    }

    /** The table on the engine, its items' expiry read by {@code clock}. */
    public WebChatStore store(Clock clock) {
        return new WebChatStore(db(TIMEOUT), LocalDynamo.TABLE, clock);
    }

    /** Every item the engine holds, as DynamoDB JSON. */
    public List<JsonNode> items() {
        return engine().items();
    }

    /** Runs {@code work} while the engine is stopped (it accepts connections and never answers), then lets it go on. */
    public void whilePaused(Runnable work) {
        paused = true;
        engine().pause();
        try {
            work.run();
        } finally {
            settle();
        }
    }

    /** A store whose address refuses every connection: a stopped engine. */
    public static WebChatStore refusing(Clock clock) {
        return new WebChatStore(DynamoDb.fromEnvironment(refusingEnvironment(), TIMEOUT), LocalDynamo.TABLE, clock);
    }

    /** The AWS settings of a store that refuses connections (an engine that stopped), for a function's runtime. */
    public static Map<String, String> refusingEnvironment() {
        Map<String, String> env = new HashMap<>(EmulatedTwilio.dynamo().environment());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + closedPort());
        return env;
    }

    /** A port of 127.0.0.1 nothing listens on. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        engine().resume();
        engine().clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        settle();
    }

    /**
     * Lets a paused engine go on and finish what it was sent while it stood still (requests whose
     * callers gave up are still in its sockets), so none of it lands in the next test.
     */
    static void settle() {
        if (!paused) {
            return;
        }
        paused = false;
        EmulatedTwilio.dynamo().resume();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        EmulatedTwilio.dynamo().items();
    }
}
