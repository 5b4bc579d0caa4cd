package com.flexwebchat.emulator;

import com.flexwebchat.emulator.chat.Chat;
import com.flexwebchat.emulator.conversations.Conversations;
import com.flexwebchat.emulator.flex.Flex;
import com.flexwebchat.emulator.http.ApiServer;
import com.flexwebchat.emulator.http.Faults;
import com.flexwebchat.emulator.http.Journal;
import com.flexwebchat.emulator.http.Route;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.StateLock;
import com.flexwebchat.emulator.mcs.MediaContentService;
import com.flexwebchat.emulator.taskrouter.TaskRouter;
import com.flexwebchat.emulator.webhooks.ConversationWebhooks;
import com.flexwebchat.emulator.webhooks.WebhookConfigurationApi;
import com.flexwebchat.emulator.webhooks.WebhookSender;
import com.flexwebchat.emulator.webhooks.WebhookSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local Twilio REST API for tests and development: an HTTP server on 127.0.0.1 with in-memory state that speaks
 * the subset of Twilio's API our Lambdas use (Flex web chats and web channels, Conversations with its media in the
 * Media Content Service, Programmable Chat, Flex's TaskRouter workspace), faithful to Twilio's OpenAPI specs (and,
 * for MCS, which they leave out, to its docs). It also plays Twilio's side of webhooks: it
 * sends the Conversations webhooks configured through the API, signed as Twilio signs them.
 *
 * <p>A Twilio URL {@code https://{sub}.twilio.com{path}} is served at {@code {baseUrl}/{sub}{path}}, e.g.
 * {@code https://conversations.twilio.com/v1/Conversations} at {@code http://127.0.0.1:PORT/conversations/v1/Conversations},
 * {@code https://mcs.us1.twilio.com/v1/...} at {@code http://127.0.0.1:PORT/mcs.us1/v1/...}.
 * Requests authenticate with HTTP Basic as {@link EmulatorAccount#accountSid()}:{@link EmulatorAccount#authToken()}
 * or {@link EmulatorAccount#apiKey()}:{@link EmulatorAccount#apiSecret()}.
 *
 * <p>What it offers, in this order below:
 * <ul>
 *   <li><b>lifecycle</b>: {@link #start(int)} and its overloads, {@link #close()}, {@link #baseUrl()},
 *       {@link #account()};</li>
 *   <li><b>request journal</b>: every request answered ({@link #requests()}, {@link #writes()});</li>
 *   <li><b>fault injection</b>: failures, delays, cut bodies, dropped connections and answers that never come
 *       for the next (or the n-th) matching requests ({@link #failNext}, {@link #delayNext}, {@link #inject},
 *       {@link #injectOnCall}, {@link #reset()}; see {@link Fault}), served by a thread pool so a delayed answer
 *       doesn't hold up others; and the emulator's time ({@link #advanceClock});</li>
 *   <li><b>state inspection and Twilio-side moves for tests</b>, per product: Conversations
 *       ({@link #conversation}, {@link #messages}, {@link #addMessageFromSdk}, {@link #postMedia}, ...), the Media
 *       Content Service ({@link #uploadMedia}, {@link #media}), Programmable Chat
 *       ({@link #chatChannel}, ...), TaskRouter ({@link #task}, {@link #routeTask}, ...); resources come as
 *       {@code GET} would answer them;</li>
 *   <li><b>webhooks</b>: once a service's (or the account's) webhooks are configured ({@code POST
 *       /v1/Services/{ChatServiceSid}/Configuration/Webhooks}), changes fire them as Twilio does; once the
 *       TaskRouter workspace has an Event Callback URL ({@code POST /v1/Workspaces/{Sid}} with
 *       {@code EventCallbackUrl}, optionally {@code EventsFilter}), task changes post TaskRouter's events there.
 *       See {@link #webhookDeliveries()} and {@link #awaitWebhooks}; {@link #send} signs and posts any other
 *       webhook (a Studio flow's request) a test needs, {@link #signature} computes Twilio's signature;</li>
 *   <li><b>contract</b>: every exchange checked against Twilio's specs ({@link #contractViolations()}).</li>
 * </ul>
 * Each product lives in its own package ({@code conversations}, {@code chat}, {@code taskrouter}, {@code flex},
 * {@code webhooks}), the HTTP layer in {@code http}, the checker in {@code contract}; this class wires them.
 */
public final class TwilioEmulator implements AutoCloseable {

    private final EmulatorAccount account;
    private final EmulatorClock clock = new EmulatorClock();
    private final StateLock state = new StateLock();
    private final Journal journal = new Journal();
    private final Faults faults = new Faults();
    private final Router router = new Router();
    private final WebhookSender webhooks;
    private final MediaContentService mcs;
    private final Conversations conversations;
    private final Chat chat;
    private final TaskRouter taskRouter;
    private final ApiServer server;

    private TwilioEmulator(InetAddress bind, int port, EmulatorAccount account) throws IOException {
        this.account = account;
        this.webhooks = new WebhookSender(account.authToken());
        ConversationWebhooks conversationWebhooks = new ConversationWebhooks(account, state, webhooks);
        this.mcs = new MediaContentService(account, clock);
        this.conversations = new Conversations(account, clock, conversationWebhooks, mcs);
        this.chat = new Chat(account, clock);
        this.taskRouter = new TaskRouter(account, clock, webhooks);
        conversations.register(router);
        mcs.register(router);
        new WebhookConfigurationApi(conversationWebhooks, account).register(router);
        chat.register(router);
        taskRouter.register(router);
        new Flex(account, clock, conversations, chat, taskRouter).register(router);
        this.server = ApiServer.start(bind, port, account, router, faults, journal, state);
    }

    // === lifecycle ==========================================================================================

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

    @Override
    public void close() {
        faults.clear();
        server.close();
        webhooks.close();
    }

    public EmulatorAccount account() {
        return account;
    }

    /** {@code http://127.0.0.1:PORT}, the stand-in for {@code https://{sub}.twilio.com} as {@code {baseUrl}/{sub}}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    // === request journal ====================================================================================

    /** Every request answered so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return journal.all();
    }

    /** Requests with this method ({@code null} for any) whose whole path matches {@code pathRegex}. */
    public List<RecordedRequest> requests(String method, String pathRegex) {
        return journal.matching(method, pathRegex);
    }

    /** Requests that may have changed something: everything but reads (GET). */
    public List<RecordedRequest> writes() {
        return requests().stream().filter(r -> !"GET".equals(r.method())).toList();
    }

    public void clearRequests() {
        journal.clear();
    }

    // === fault injection and time ===========================================================================

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

    /**
     * Applies {@code fault} to {@code times} requests with this method ({@code null} for any) whose whole path
     * matches {@code pathRegex}, after letting the first {@code skip} of them through: {@code skip = n - 1} is the
     * n-th such request. Typical: {@code inject("POST", "/flex-api/v2/WebChats", 0, 1, Fault.noAnswer())} (a chat
     * created whose answer never comes). Authentication is still checked first; see {@link Fault} for what each
     * kind does and what the journal records.
     */
    public void inject(String method, String pathRegex, int skip, int times, Fault fault) {
        faults.arm(method, pathRegex, skip, times, fault);
    }

    /** {@code fault} for the {@code n}-th request from now (1 for the next one), whatever its method and path. */
    public void injectOnCall(int n, Fault fault) {
        if (n < 1) {
            throw new IllegalArgumentException("calls are counted from 1: " + n);
        }
        faults.arm(null, ".*", n - 1, 1, fault);
    }

    /** Forgets all armed faults and delays (state and journal stay), and lets requests held without answer go. */
    public void reset() {
        faults.clear();
    }

    /**
     * Moves the emulator's time forward, as if {@code duration} had passed: conversation timers
     * that fall due in it fire (they are applied when a conversation is next looked at).
     */
    public void advanceClock(Duration duration) {
        clock.advance(duration);
    }

    // === state: Conversations ===============================================================================

    /** A conversation as {@code GET /v1/Conversations/{Sid}} returns it, if it exists. */
    public Optional<Map<String, Object>> conversation(String sid) {
        return state.locked(() -> conversations.conversation(sid));
    }

    /** A conversation's messages, oldest first, as {@code GET /v1/Conversations/{Sid}/Messages} lists them. */
    public List<Map<String, Object>> messages(String conversationSid) {
        return state.locked(() -> conversations.messages(conversationSid));
    }

    /** A conversation's participants as {@code GET /v1/Conversations/{Sid}/Participants} lists them. */
    public List<Map<String, Object>> participants(String conversationSid) {
        return state.locked(() -> conversations.participants(conversationSid));
    }

    /**
     * A Conversations User of the default service, by identity or SID, as {@code GET /v1/Users/{Sid}} returns it.
     * Adding a chat participant creates the user of its identity, as Twilio does.
     */
    public Optional<Map<String, Object>> user(String identity) {
        return state.locked(() -> conversations.user(identity));
    }

    /**
     * Closes a conversation now, as its {@code Timers.Closed} timer would (firing {@code onConversationStateUpdated}
     * with {@code Reason=TIMER} when configured).
     */
    public void closeConversation(String sid) {
        state.locked(() -> conversations.close(sid));
    }

    /**
     * Posts a message as the Conversations SDK of participant {@code identity} would: with webhooks whatever the
     * REST header rules ({@code Source=SDK}, {@code ClientIdentity}), so the {@code onMessageAdd} pre-event webhook
     * may modify or reject it. Returns the message as {@code GET .../Messages/{Sid}} would; a rejection throws
     * {@link IllegalStateException} with Twilio's error message.
     *
     * @param attributes JSON, or {@code null} for {@code {}}
     */
    public Map<String, Object> addMessageFromSdk(String conversationSid, String identity, String body, String attributes) {
        return state.locked(() -> conversations.addMessageFromSdk(conversationSid, identity, body, attributes));
    }

    /**
     * Sends a file into a conversation as the Conversations SDK of participant {@code author} does (a visitor's
     * widget, an agent's Flex UI): uploaded to the conversation's service in the Media Content Service, then a
     * message without a body whose {@code media} lists it, with webhooks as for {@link #addMessageFromSdk} (the
     * {@code Media} parameter lists the file). Returns the message as {@code GET .../Messages/{Sid}} would; the
     * file is then {@link #media}{@code (message.media[0].sid)}. A non-participant throws
     * {@link IllegalArgumentException}, a rejection by the pre-event webhook {@link IllegalStateException}.
     *
     * @param filename null for none
     */
    public Map<String, Object> postMedia(String conversationSid, String author, String filename, String contentType,
                                         byte[] content) {
        return state.locked(() -> conversations.addMediaMessageFromSdk(conversationSid, author, filename, contentType,
                content));
    }

    // === state: Media Content Service ======================================================================

    /**
     * Uploads a file to Flex's conversation service in the Media Content Service, as {@code POST
     * https://mcs.us1.twilio.com/v1/Services/{ChatServiceSid}/Media} does (author {@code system}), and returns it
     * as that answers: a test then posts a message with its {@code sid} as {@code MediaSid}.
     *
     * @param filename null for none
     */
    public Map<String, Object> uploadMedia(String filename, String contentType, byte[] content) {
        return state.locked(() -> MediaContentService.uploaded(mcs.upload(account.conversationsServiceSid(), "system",
                filename, contentType, content)));
    }

    /**
     * A file in the Media Content Service as {@code GET https://mcs.us1.twilio.com/v1/Services/{ChatServiceSid}/Media/{Sid}}
     * answers it, {@code links.content_direct_temporary} freshly signed, if it exists.
     */
    public Optional<Map<String, Object>> media(String mediaSid) {
        return state.locked(() -> mcs.media(mediaSid));
    }

    // === state: Programmable Chat ===========================================================================

    /** A Programmable Chat channel as {@code GET /v2/Services/{ServiceSid}/Channels/{Sid}} returns it. */
    public Optional<Map<String, Object>> chatChannel(String sid) {
        return state.locked(() -> chat.channel(sid));
    }

    /** Replaces a chat channel's attributes, as Flex does when it ends a legacy chat ({@code status: INACTIVE}). */
    public void updateChatChannelAttributes(String sid, String attributes) {
        state.locked(() -> chat.updateAttributes(sid, attributes));
    }

    /** A chat channel's messages, oldest first. */
    public List<Map<String, Object>> chatMessages(String channelSid) {
        return state.locked(() -> chat.messages(channelSid));
    }

    // === state: TaskRouter ==================================================================================

    /**
     * Creates a worker in Flex's workspace, in the default activity ({@code Offline}), as {@code POST .../Workers}
     * would, and returns it as {@code GET .../Workers/{Sid}} would.
     *
     * @param attributesJson JSON, or {@code null} for {@code {}}
     */
    public Map<String, Object> addWorker(String friendlyName, String attributesJson) {
        return state.locked(() -> taskRouter.addWorker(friendlyName, attributesJson));
    }

    /** A worker as {@code GET /v1/Workspaces/{WorkspaceSid}/Workers/{Sid}} returns it, if it exists. */
    public Optional<Map<String, Object>> worker(String sid) {
        return state.locked(() -> taskRouter.worker(sid));
    }

    /** A task as {@code GET /v1/Workspaces/{WorkspaceSid}/Tasks/{Sid}} returns it, if it exists. */
    public Optional<Map<String, Object>> task(String sid) {
        return state.locked(() -> taskRouter.task(sid));
    }

    /**
     * Moves a task as TaskRouter's own routing would, which the REST API can't: {@code reserved} (from pending, a
     * reservation created), {@code assigned} (from reserved, the reservation accepted) or {@code pending} (from
     * reserved, the reservation rejected or timed out). Returns the task; an impossible move throws
     * {@link IllegalStateException}. These moves post no event callbacks: they belong to reservations, which are
     * not emulated.
     */
    public Map<String, Object> routeTask(String taskSid, String assignmentStatus) {
        return state.locked(() -> taskRouter.routeTask(taskSid, assignmentStatus));
    }

    /** The SID of one of the workspace's activities: {@code Offline}, {@code Available}, {@code Unavailable}, {@code Break}. */
    public String activitySid(String friendlyName) {
        return state.locked(() -> taskRouter.activitySid(friendlyName));
    }

    // === webhooks ===========================================================================================

    /**
     * Every webhook sent so far (pre-event ones, post-event ones and TaskRouter event callbacks that are done,
     * {@link #send}s), in order.
     */
    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks.deliveries();
    }

    public void clearWebhookDeliveries() {
        webhooks.clear();
    }

    /**
     * Waits until the post-event webhooks and TaskRouter event callbacks queued so far (they go out one at a time
     * on a background thread) have been delivered or have failed; throws {@link IllegalStateException} if that
     * takes longer than {@code timeout}.
     */
    public void awaitWebhooks(Duration timeout) {
        webhooks.await(timeout);
    }

    /**
     * POSTs {@code form} to {@code url} as Twilio sends a webhook (signed with the account's auth token, with
     * {@code I-Twilio-Idempotency-Token}) and waits for the answer: for a Studio flow's request, or any callback a
     * test makes up, in tests and local runs.
     */
    public WebhookDelivery send(String url, Map<String, List<String>> form) {
        return webhooks.send("POST", url, form);
    }

    /**
     * Twilio's {@code X-Twilio-Signature} for a POST of {@code params} to {@code url}: Base64 HMAC-SHA1, keyed with
     * {@code authToken}, of the URL followed by each parameter's name and value, sorted by name (a repeated name
     * once per value, its values sorted). This is the emulator's own implementation, as it plays Twilio; code that
     * checks signatures should use Twilio's {@code RequestValidator}.
     */
    public static String signature(String authToken, String url, Map<String, List<String>> params) {
        return WebhookSignature.compute(authToken, url, params);
    }

    // === contract ===========================================================================================

    /** The Twilio OpenAPI contract (see {@link TwilioContract#load()}). */
    public TwilioContract contract() {
        return TwilioContract.load();
    }

    /**
     * Every way the recorded requests and responses break Twilio's OpenAPI specs; empty when all conform.
     *
     * @throws IllegalStateException when the specs are missing or unreadable: nothing checked is never a pass
     */
    public List<String> contractViolations() {
        TwilioContract contract = contract();
        List<String> violations = new ArrayList<>();
        for (RecordedRequest request : requests()) {
            violations.addAll(contract.check(request));
        }
        return violations;
    }

    /** The operations served, for tests that check they exercise each. */
    List<Route> routes() {
        return router.routes();
    }
}
