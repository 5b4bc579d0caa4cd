package com.flexwebchat.emulator;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local Twilio REST API for tests and development: an HTTP server on 127.0.0.1 with in-memory state that speaks
 * the subset of Twilio's API our Lambdas use (Flex web chats and web channels, Conversations, Programmable Chat),
 * faithful to Twilio's OpenAPI specs.
 *
 * <p>A Twilio URL {@code https://{sub}.twilio.com{path}} is served at {@code {baseUrl}/{sub}{path}}, e.g.
 * {@code https://conversations.twilio.com/v1/Conversations} at {@code http://127.0.0.1:PORT/conversations/v1/Conversations}.
 * Requests authenticate with HTTP Basic as {@link EmulatorAccount#accountSid()}:{@link EmulatorAccount#authToken()}
 * or {@link EmulatorAccount#apiKey()}:{@link EmulatorAccount#apiSecret()}.
 *
 * <p>For tests it keeps a journal of every request ({@link #requests()}), lets a test inject failures and delays
 * ({@link #failNext}, {@link #delayNext}), exposes state ({@link #conversation}, {@link #messages}, ...) and checks
 * every exchange against the specs ({@link #contractViolations()}). Requests are served by a thread pool, so a
 * delayed answer doesn't hold up others.
 */
public final class TwilioEmulator implements AutoCloseable {

    private static final int THREADS = 16;

    private final EmulatorAccount account;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Object stateLock = new Object();
    private final Journal journal = new Journal();
    private final Faults faults = new Faults();
    private final ConversationStore conversations;
    private final ChatStore chat;
    private final Router router = new Router();

    private TwilioEmulator(InetAddress bind, int port, EmulatorAccount account) throws IOException {
        this.account = account;
        Clock clock = Clock.systemUTC();
        this.conversations = new ConversationStore(account, clock);
        this.chat = new ChatStore(account, clock);
        new FlexApi(account, conversations, chat).register(router);
        new ConversationsApi(conversations, account.conversationsServiceSid()).register(router);
        new ChatApi(chat).register(router);

        // The JDK server leaves Nagle's algorithm on, so each small answer waits ~40 ms for the
        // client's delayed ACK; Twilio answers without that delay. Read once, when the first
        // server of the JVM starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        this.server = HttpServer.create(new InetSocketAddress(bind, port), 0);
        this.executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", new Dispatcher(router, new Credentials(account), faults, journal, stateLock));
        server.start();
    }

    /** Starts an emulator for {@link EmulatorAccount#defaults()} on {@code port} (0 picks a free port). */
    public static TwilioEmulator start(int port) {
        return start(port, EmulatorAccount.defaults());
    }

    /** Starts an emulator for {@code account} on {@code port} (0 picks a free port). */
    public static TwilioEmulator start(int port, EmulatorAccount account) {
        return start(InetAddress.getLoopbackAddress(), port, account);
    }

    /**
     * Starts an emulator on another address than loopback: for {@code sam local invoke} on Linux,
     * whose containers reach the host only through the Docker bridge. Tests always use loopback.
     */
    public static TwilioEmulator start(InetAddress bind, int port, EmulatorAccount account) {
        try {
            return new TwilioEmulator(bind, port, account);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Twilio emulator on port " + port, e);
        }
    }

    public EmulatorAccount account() {
        return account;
    }

    /** {@code http://127.0.0.1:PORT}, the stand-in for {@code https://{sub}.twilio.com} as {@code {baseUrl}/{sub}}. */
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

    // --- journal -------------------------------------------------------------------------------------------

    /** Every request answered so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return journal.all();
    }

    /** Requests with this method ({@code null} for any) whose whole path matches {@code pathRegex}. */
    public List<RecordedRequest> requests(String method, String pathRegex) {
        return journal.matching(method, pathRegex);
    }

    public void clearRequests() {
        journal.clear();
    }

    // --- fault injection -----------------------------------------------------------------------------------

    /**
     * Answers the next {@code times} requests with this method ({@code null} for any) whose whole path matches
     * {@code pathRegex} with {@code status} and a Twilio error body carrying {@code twilioCode}, without carrying
     * out the operation. Typical: {@code failNext("POST", "/flex-api/v2/WebChats", 429, 20429, 1)}.
     * Authentication is still checked first. Note that twilio-java retries 5xx answers (3 attempts in all).
     */
    public void failNext(String method, String pathRegex, int status, int twilioCode, int times) {
        faults.failNext(method, pathRegex, status, twilioCode, times);
    }

    /** Holds the answer to the next {@code times} matching requests for {@code delay}; others are served meanwhile. */
    public void delayNext(String method, String pathRegex, Duration delay, int times) {
        faults.delayNext(method, pathRegex, delay, times);
    }

    /** Forgets all armed failures and delays (state and journal stay). */
    public void reset() {
        faults.clear();
    }

    // --- state ---------------------------------------------------------------------------------------------

    /** A conversation as {@code GET /v1/Conversations/{Sid}} returns it, if it exists. */
    public Optional<Map<String, Object>> conversation(String sid) {
        synchronized (stateLock) {
            return conversations.find(sid).map(c -> Json.plainCopy(c.toResource(accountScope())));
        }
    }

    /** A conversation's messages, oldest first, as {@code GET /v1/Conversations/{Sid}/Messages} lists them. */
    public List<Map<String, Object>> messages(String conversationSid) {
        synchronized (stateLock) {
            List<Map<String, Object>> result = new ArrayList<>();
            existingConversation(conversationSid).messages()
                    .forEach(m -> result.add(Json.plainCopy(m.toResource(accountScope()))));
            return result;
        }
    }

    /** A conversation's participants as {@code GET /v1/Conversations/{Sid}/Participants} lists them. */
    public List<Map<String, Object>> participants(String conversationSid) {
        synchronized (stateLock) {
            List<Map<String, Object>> result = new ArrayList<>();
            existingConversation(conversationSid).participants()
                    .forEach(p -> result.add(Json.plainCopy(p.toResource(accountScope()))));
            return result;
        }
    }

    /** Closes a conversation now, as its {@code Timers.Closed} timer would. */
    public void closeConversation(String sid) {
        synchronized (stateLock) {
            conversations.close(existingConversation(sid));
        }
    }

    /** A Programmable Chat channel as {@code GET /v2/Services/{ServiceSid}/Channels/{Sid}} returns it. */
    public Optional<Map<String, Object>> chatChannel(String sid) {
        synchronized (stateLock) {
            return chat.find(sid).map(c -> Json.plainCopy(c.toResource()));
        }
    }

    /** Replaces a chat channel's attributes, as Flex does when it ends a legacy chat ({@code status: INACTIVE}). */
    public void updateChatChannelAttributes(String sid, String attributes) {
        synchronized (stateLock) {
            ChatChannel channel = chat.find(sid).orElseThrow(() -> new IllegalArgumentException("no chat channel " + sid));
            channel.attributes = attributes;
            channel.dateUpdated = chat.now();
        }
    }

    /** A chat channel's messages, oldest first. */
    public List<Map<String, Object>> chatMessages(String channelSid) {
        synchronized (stateLock) {
            ChatChannel channel = chat.find(channelSid).orElseThrow(() -> new IllegalArgumentException("no chat channel " + channelSid));
            List<Map<String, Object>> result = new ArrayList<>();
            channel.messages().forEach(m -> result.add(Json.plainCopy(m.toResource())));
            return result;
        }
    }

    // --- contract ------------------------------------------------------------------------------------------

    /** The Twilio OpenAPI contract, when the specs can be found (see {@link TwilioContract#load()}). */
    public Optional<TwilioContract> contract() {
        return TwilioContract.load();
    }

    /**
     * Every way the recorded requests and responses break Twilio's OpenAPI specs; empty when all conform.
     * When the specs can't be found this is empty too (with a warning on stderr): tests that rely on it should
     * first assume {@code contract().isPresent()}.
     */
    public List<String> contractViolations() {
        Optional<TwilioContract> contract = contract();
        if (contract.isEmpty()) {
            System.err.println("TwilioEmulator: Twilio OpenAPI specs not found; contract not checked. " + TwilioContract.HOW_TO_LOCATE);
            return List.of();
        }
        List<String> violations = new ArrayList<>();
        for (RecordedRequest request : requests()) {
            violations.addAll(contract.get().check(request));
        }
        return violations;
    }

    /** The operations served, for tests that check they exercise each. */
    List<Route> routes() {
        return router.routes();
    }

    private ConversationsScope accountScope() {
        return ConversationsScope.account(account.conversationsServiceSid());
    }

    private Conversation existingConversation(String sid) {
        return conversations.find(sid).orElseThrow(() -> new IllegalArgumentException("no conversation " + sid));
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
