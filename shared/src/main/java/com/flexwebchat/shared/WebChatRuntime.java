package com.flexwebchat.shared;

import com.flexwebchat.shared.aws.DynamoDb;
import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.chat.RecentChats;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.chat.legacy.ProgrammableChat;
import com.flexwebchat.shared.config.ProcessEnvironment;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.flex.FlexInteractions;
import com.flexwebchat.shared.http.ApiGatewayAdapter;
import com.flexwebchat.shared.http.Invocation;
import com.flexwebchat.shared.http.OriginPolicy;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.protection.BlockList;
import com.flexwebchat.shared.protection.Captcha;
import com.flexwebchat.shared.protection.ClientAddress;
import com.flexwebchat.shared.protection.RateLimits;
import com.flexwebchat.shared.protection.SubmitOnce;
import com.flexwebchat.shared.protection.ExactlyOnce;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.store.WebChatStore;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.AccessTokenVerifier;
import com.flexwebchat.shared.mail.Mailer;
import com.flexwebchat.shared.mail.Mailers;
import com.flexwebchat.shared.twilio.ConversationMedia;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.flexwebchat.shared.webhook.TwilioSignature;
import com.flexwebchat.shared.webhook.WebhookAdapter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What every function is built from, once per cold start: the validated configuration, the
 * Twilio gateway, web chat access of the configured kind, and the factories for tokens and
 * adapters. Handlers take one in their constructor, so tests hand in a runtime pointed at the
 * emulator, with their own clock.
 *
 * @param chats        Flex Conversations web chats, or with FLEX_FLOW_SID legacy Programmable Chat ones
 * @param interactions Flex's interactions of those chats (legacy chats have none)
 * @param media        the files of chats' media messages, read from Twilio's Media Content Service
 * @param mailer       Amazon SES or SendGrid when FROM_EMAIL is set (the Conversations function's transcripts), else null
 * @param store        the shared state of the abuse protections (STORE_TABLE), or null: those protections are off
 * @param hashes       what the store and the logs keep of visitors' addresses, emails and identities
 */
public record WebChatRuntime(WebChatConfig config, TwilioGateway twilio, WebChats chats, FlexInteractions interactions,
                             ConversationMedia media, Mailer mailer, WebChatStore store, KeyedHash hashes, Clock clock) {

    /** No store call may take longer than this, whatever budget is left: the protections then fail open or closed. */
    public static final Duration STORE_TIMEOUT = Duration.ofMillis(800);
    /** Said once per cold start, not for every runtime a JVM builds. */
    private static final java.util.concurrent.atomic.AtomicBoolean STORE_OFF_SAID = new java.util.concurrent.atomic.AtomicBoolean();

    public static WebChatRuntime fromEnvironment() {
        Invocation.initStarted(); // before the secret is read: that is init too
        return create(WebChatConfig.fromEnvironment(), Clock.systemUTC());
    }

    public static WebChatRuntime create(WebChatConfig config, Clock clock) {
        return create(config, ProcessEnvironment.get(), clock);
    }

    /**
     * The one place where Flex Conversations and legacy Programmable Chat part ways.
     *
     * @param env the AWS settings the store is reached with (Region, credentials, endpoint overrides)
     */
    public static WebChatRuntime create(WebChatConfig config, Map<String, String> env, Clock clock) {
        Invocation.initStarted();
        TwilioGateway twilio = TwilioGateway.connect(config);
        ConversationMedia media = new ConversationMedia(twilio);
        Mailer mailer = config.mail().configured() ? Mailers.create(config.mail(), env) : null;
        WebChatStore store = store(config, env, clock);
        KeyedHash hashes = new KeyedHash(config.protections().hashKey());
        if (config.legacy()) {
            return new WebChatRuntime(config, twilio, new ProgrammableChat(twilio, config.flexFlowSid(), config.chatServiceSid()),
                    FlexInteractions.NONE, media, mailer, store, hashes, clock);
        }
        return new WebChatRuntime(config, twilio, FlexConversations.of(config, twilio),
                new FlexInteractions(twilio, config.webhooks().taskrouterWorkspaceSid()), media, mailer, store, hashes, clock);
    }

    private static WebChatStore store(WebChatConfig config, Map<String, String> env, Clock clock) {
        String table = config.protections().storeTable();
        if (table == null) {
            if (!STORE_OFF_SAID.getAndSet(true)) {
                Log.warn("STORE_TABLE is not set: per-client limits, the block list, one chat per submit and exactly-once"
                        + " webhook effects are off");
            }
            return null;
        }
        return new WebChatStore(DynamoDb.fromEnvironment(env, STORE_TIMEOUT), table, clock);
    }

    public RateLimits rateLimits() {
        return new RateLimits(store, clock);
    }

    public BlockList blockList() {
        return new BlockList(store, hashes, config.protections().blockListRefresh(), clock);
    }

    public SubmitOnce submitOnce() {
        return new SubmitOnce(store, config.protections().duplicateSubmitWindow(), clock);
    }

    /** The chat each pre-engagement email started in the last day, for its transcript. */
    public RecentChats recentChats() {
        return new RecentChats(store, hashes, clock);
    }

    public ExactlyOnce exactlyOnce() {
        return new ExactlyOnce(store, clock);
    }

    /** The CAPTCHA check, or null when CAPTCHA_PROVIDER is not set. */
    public Captcha captcha() {
        return config.protections().captcha() == null ? null : new Captcha(config.protections().captcha());
    }

    public ClientAddress clientAddress() {
        return new ClientAddress(config.protections().trustXForwardedFor());
    }

    public AccessTokenIssuer tokenIssuer() {
        return AccessTokenIssuer.from(config, clock);
    }

    public AccessTokenVerifier tokenVerifier() {
        return AccessTokenVerifier.from(config, clock);
    }

    /**
     * The adapter for routes only Twilio calls: signature-checked with AUTH_TOKEN.
     *
     * @param budget the caller's webhook timeout less a margin
     */
    public WebhookAdapter webhookAdapter(Duration budget) {
        return new WebhookAdapter(new TwilioSignature(config.authToken()), config.publicBaseUrl(), budget);
    }

    /** The adapter for routes the widget calls from the browser: origin-checked, CORS-answered. */
    public ApiGatewayAdapter browserAdapter() {
        return new ApiGatewayAdapter(new OriginPolicy(config.allowedOrigins()));
    }

    /** The same, for a route whose body may be larger than {@link ApiGatewayAdapter#MAX_BODY_BYTES}. */
    public ApiGatewayAdapter browserAdapter(int maxBodyBytes) {
        return new ApiGatewayAdapter(new OriginPolicy(config.allowedOrigins()), maxBodyBytes);
    }
}
