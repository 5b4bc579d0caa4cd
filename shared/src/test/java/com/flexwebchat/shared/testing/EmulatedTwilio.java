package com.flexwebchat.shared.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.standins.LocalDynamo;
import com.twilio.rest.flexapi.v1.Interaction;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelReader;
import com.twilio.rest.flexapi.v2.WebChannels;
import com.twilio.rest.flexapi.v2.WebChannelsCreator;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's Twilio: a running emulator and a runtime configured for it as {@code ./run-local}
 * configures the functions (the keys of the Express server's .env, with the emulator's account).
 * Register it on a static field:
 * <pre>{@code
 * @RegisterExtension
 * static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass().clock(CLOCK);
 * ...
 * handler = new WebChannelHandler(twilio.runtime());
 * twilio.emulator().requests("POST", "/flex-api/v2/WebChats");
 * }</pre>
 * Before each test: the emulator is the class's, with its armed failures and delays forgotten and
 * its journal empty ({@link #sharedByTheClass()}: what earlier tests created stays), or a new one
 * ({@link #freshForEachTest()}, or for a test marked {@link OwnEmulator}); the runtime is built,
 * and the functions' log lines are captured
 * ({@link #logs()}). After each: the capture ends, and every exchange the emulator saw must
 * conform to Twilio's OpenAPI specs.
 *
 * <p>It also plays what Flex and Studio do before a function is called ({@link #startChat()},
 * {@link #sendToFlex(String)}), through the real SDK, so tests start from the state Twilio would be in.
 */
public final class EmulatedTwilio implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** The origin the runtime allows: the widget's development server. */
    public static final String ORIGIN = "http://localhost:3000";

    /** dynalite, started once for the test JVM by the first test that asks for a store, emptied before each. */
    private static LocalDynamo dynamo;

    private final boolean fresh;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private boolean legacy;
    private boolean withStore;
    private Clock clock = Clock.systemUTC();

    /** The class's emulator, when it shares one. */
    private TwilioEmulator shared;
    /** The class it was started for: nested classes inherit the extension, and its callbacks. */
    private Class<?> startedFor;
    /** The current test's: the shared one, or one of its own. */
    private TwilioEmulator emulator;
    private boolean ownEmulator;
    private WebChatRuntime runtime;
    private LogCapture logs;

    private EmulatedTwilio(boolean fresh) {
        this.fresh = fresh;
    }

    /** One emulator for the test class, reset before each test. */
    public static EmulatedTwilio sharedByTheClass() {
        return new EmulatedTwilio(false);
    }

    /** A new emulator for each test (for tests that change settings a reset keeps, or move its clock). */
    public static EmulatedTwilio freshForEachTest() {
        return new EmulatedTwilio(true);
    }

    /**
     * On a test of a class that shares an emulator: this test gets a new one of its own, as with
     * {@link #freshForEachTest()} (for a test that moves the emulator's clock, say).
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface OwnEmulator {
    }

    /** A setting on top of the Express keys, e.g. {@code TASKROUTER_WORKSPACE_SID}. */
    public EmulatedTwilio with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    /**
     * The abuse protections' store: dynalite on 127.0.0.1 (needs Node.js, as the build does),
     * emptied before each test, named by STORE_TABLE and the AWS settings of the runtime.
     */
    public EmulatedTwilio withStore() {
        this.withStore = true;
        return this;
    }

    /** The store's engine, for a test that stops it, reads what it holds, or empties it. */
    public static synchronized LocalDynamo dynamo() {
        if (dynamo == null) {
            dynamo = LocalDynamo.start(Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize());
        }
        return dynamo;
    }

    /** Legacy Programmable Chat: a Flex Flow instead of an address. */
    public EmulatedTwilio legacy() {
        this.legacy = true;
        return this;
    }

    /** The clock tokens are issued and checked by. */
    public EmulatedTwilio clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public TwilioEmulator emulator() {
        return emulator;
    }

    public WebChatRuntime runtime() {
        return runtime;
    }

    public LogCapture logs() {
        return logs;
    }

    /** The settings this extension's runtime was built from, to change and build another with {@link #runtime(Map, Clock)}. */
    public Map<String, String> environment() {
        Map<String, String> env = legacy ? legacyEnvironment(emulator) : environment(emulator);
        if (withStore) {
            env.putAll(dynamo().environment());
        }
        env.putAll(settings);
        return env;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!fresh && startedFor == null) {
            shared = TwilioEmulator.start(0);
            startedFor = context.getRequiredTestClass();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ownEmulator = fresh || context.getTestMethod().map(m -> m.isAnnotationPresent(OwnEmulator.class)).orElse(false);
        if (ownEmulator) {
            emulator = TwilioEmulator.start(0);
        } else {
            emulator = shared;
            emulator.reset();
        }
        if (withStore) {
            dynamo().resume();
            dynamo().clear();
        }
        logs = new LogCapture();
        runtime = runtime(environment(), clock);
        emulator.clearRequests();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        logs.close();
        try {
            assertEquals(List.of(), emulator.contractViolations(), "exchanges that break Twilio's OpenAPI specs");
        } finally {
            if (ownEmulator) {
                emulator.close();
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!fresh && context.getRequiredTestClass() == startedFor) {
            shared.close();
            startedFor = null;
        }
    }

    // --- what Flex and Studio do, for the functions to act on -----------------------------------------------

    /**
     * A web chat as {@code /initWebchat} starts it: Flex's orchestration ({@code POST /v2/WebChats})
     * makes a conversation with the visitor, "Ada", in it. The journal is cleared after, so the test
     * sees only what follows.
     */
    public WebChannels startChat() {
        return startChat("Ada", null);
    }

    /**
     * The same for a visitor of this name and pre-engagement form.
     *
     * @param preEngagementData the form as JSON text, which Flex keeps as {@code pre_engagement_data}; null for none
     */
    public WebChannels startChat(String customerName, String preEngagementData) {
        EmulatorAccount account = emulator.account();
        WebChannels chat = runtime.twilio().call("start a chat", client -> {
            WebChannelsCreator creator = new WebChannelsCreator(account.addressSid())
                    .setChatFriendlyName("Webchat widget")
                    .setCustomerFriendlyName(customerName);
            if (preEngagementData != null) {
                creator.setPreEngagementData(preEngagementData);
            }
            return creator.create(client);
        });
        emulator.clearRequests();
        return chat;
    }

    /** A chat Studio has sent to Flex: its interaction, the interaction's channel, and the task Flex routes. */
    public record SentToFlex(String interactionSid, String channelSid, String taskSid) {
    }

    /**
     * Studio's Send to Flex: an interaction whose channel's media is the conversation, routed as a
     * chat task in Flex's workspace (pending until the test routes it on). The journal is cleared after.
     */
    public SentToFlex sendToFlex(String conversationSid) {
        EmulatorAccount account = emulator.account();
        SentToFlex sent = runtime.twilio().call("send to Flex", client -> {
            Interaction interaction = Interaction.creator(Map.of("type", "web", "initiated_by", "customer",
                            "properties", Map.of("media_channel_sid", conversationSid)))
                    .setRouting(Map.of("properties", Map.of(
                            "workspace_sid", account.taskrouterWorkspaceSid(),
                            "task_channel_unique_name", "chat",
                            "attributes", Map.of("channelType", "web", "name", "Ada"))))
                    .create(client);
            String taskSid = ((Map<?, ?>) ((Map<?, ?>) interaction.getRouting()).get("properties")).get("sid").toString();
            String channelSid = new InteractionChannelReader(interaction.getSid()).firstPage(client).getRecords().get(0).getSid();
            return new SentToFlex(interaction.getSid(), channelSid, taskSid);
        });
        emulator.clearRequests();
        return sent;
    }

    // --- for tests that need a second runtime, or no extension ---------------------------------------------

    public static Map<String, String> environment(TwilioEmulator emulator) {
        EmulatorAccount account = EmulatorAccount.defaults();
        Map<String, String> env = new HashMap<>();
        env.put("ACCOUNT_SID", account.accountSid());
        env.put("AUTH_TOKEN", account.authToken());
        env.put("API_KEY", account.apiKey());
        env.put("API_SECRET", account.apiSecret());
        env.put("ADDRESS_SID", account.addressSid());
        env.put("CONVERSATIONS_SERVICE_SID", account.conversationsServiceSid());
        env.put("ALLOWED_ORIGINS", ORIGIN);
        env.put("TWILIO_API_BASE_URL", emulator.baseUrl());
        return env;
    }

    /** Legacy Programmable Chat: a Flex Flow instead of an address. */
    public static Map<String, String> legacyEnvironment(TwilioEmulator emulator) {
        EmulatorAccount account = EmulatorAccount.defaults();
        Map<String, String> env = environment(emulator);
        env.remove("ADDRESS_SID");
        env.put("FLEX_FLOW_SID", account.flexFlowSid());
        env.put("CHAT_SERVICE_SID", account.chatServiceSid());
        return env;
    }

    /** A runtime for {@code env}, which also gives the store's AWS settings (none: no store). */
    public static WebChatRuntime runtime(Map<String, String> env, Clock clock) {
        return WebChatRuntime.create(WebChatConfig.from(env, arn -> {
            throw new AssertionError("tests configure secrets directly");
        }), env, clock);
    }
}
