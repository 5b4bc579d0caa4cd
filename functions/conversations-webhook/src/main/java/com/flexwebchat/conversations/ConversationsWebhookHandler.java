package com.flexwebchat.conversations;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.conversations.transcript.TranscriptEmails;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.flex.AgentNames;
import com.flexwebchat.shared.flex.FlexAgents;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.ApiGatewayAdapter;
import com.flexwebchat.shared.http.Endpoint;
import com.flexwebchat.shared.redaction.CardNumberRedactor;
import com.flexwebchat.shared.snapstart.SnapStart;
import com.flexwebchat.shared.webhook.WebhookAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Conversations function: {@code POST /webhooks/conversations}, configured as the Flex
 * conversation service's pre- and post-event webhook, and {@code POST /email}, the widget's
 * transcript button: the one function that sends email, since a transcript is built from the
 * conversation and sent at its end too. A thin adapter; the work is in {@link ConversationsWebhook}
 * and {@link TranscriptEmails}. Everything is built in the constructor, once per cold start (and
 * captured in the SnapStart snapshot, taken after the route ran on its events/ files).
 */
public final class ConversationsWebhookHandler implements HttpApiHandler {

    /**
     * Conversations webhooks time out after 5 seconds, and a pre-event one is then published
     * unmodified (https://www.twilio.com/docs/conversations/conversations-webhooks): the answer
     * is due well before, whatever Twilio's own latency.
     */
    static final Duration BUDGET = Duration.ofSeconds(4);
    /**
     * The Conversations events this function acts on: what the service's webhook filters must name
     * ({@code ./run-local wire} sets them from here).
     */
    public static final List<String> EVENTS = ConversationsWebhook.EVENTS;
    /** The pre-event's Twilio reads (the conversation's state, an agent check) together. */
    static final Duration ENRICHMENT_BUDGET = Duration.ofMillis(1_500);

    /** The widget's transcript button; every other path is the webhook's. */
    static final String EMAIL_ROUTE = "/email";
    /**
     * The widget sends its own rendering of the whole chat in {@code text} (ignored, but sent): a long
     * chat is far over the other browser routes' 16 KB. The Express server took 100 KB (express.json's
     * default); a megabyte leaves room for the longest chats, well inside API Gateway's 10 MB.
     */
    static final int EMAIL_MAX_BODY_BYTES = 1024 * 1024;

    private final WebhookAdapter adapter;
    private final ConversationsWebhook webhook;
    private final ApiGatewayAdapter emailAdapter;
    private final Endpoint email;
    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // held so the hooks live as long as the handler
    private final SnapStart snapStart;

    /** Used by the Lambda runtime. */
    public ConversationsWebhookHandler() {
        this(WebChatRuntime.fromEnvironment());
    }

    public ConversationsWebhookHandler(WebChatRuntime runtime) {
        WebChatConfig config = runtime.config();
        WebChatConfig.Webhooks settings = config.webhooks();
        if (config.conversationsServiceSid() == null) {
            throw new ConfigException("CONVERSATIONS_SERVICE_SID is required: the Flex Conversations service (IS...)"
                    + " whose webhooks this function answers");
        }
        if (settings.taskrouterWorkspaceSid() == null) {
            throw new ConfigException("TASKROUTER_WORKSPACE_SID is required: Flex's TaskRouter workspace (WS...),"
                    + " where this function tells agents from visitors");
        }
        // The Conversations service's own webhook: its chats are conversations whatever the web chat mode.
        FlexConversations conversations = FlexConversations.of(config, runtime.twilio());
        FlexAgents agents = new FlexAgents(runtime.twilio(), settings.taskrouterWorkspaceSid());
        TranscriptEmails transcripts = TranscriptEmails.of(runtime, conversations, agents);
        this.webhook = new ConversationsWebhook(
                new MessageScreening(conversations, agents, new CardNumberRedactor(), settings.maxMessageLength(),
                        ENRICHMENT_BUDGET),
                new AgentAnnouncer(agents, new AgentNames(runtime.twilio(), config.conversationsServiceSid()), conversations,
                        settings.defaultAgentName(), runtime.exactlyOnce()),
                transcripts == null ? null : transcripts.atChatEnd(), runtime.exactlyOnce());
        this.adapter = runtime.webhookAdapter(BUDGET);
        this.emailAdapter = runtime.browserAdapter(EMAIL_MAX_BODY_BYTES);
        this.email = transcripts == null ? request -> {
            throw ApiError.notFound("transcripts_off", "Transcripts by email are not offered here");
        } : transcripts.requests()::request;
        List<String> events = new ArrayList<>(List.of("webhooks-conversations-onMessageAdd.json",
                "webhooks-conversations-onParticipantAdded.json", "webhooks-conversations-onConversationUpdated.json",
                "webhooks-conversations-onConversationStateUpdated.json"));
        if (transcripts != null) {
            events.add("email.json"); // an address that started no chat: nothing is sent
        }
        this.snapStart = SnapStart.register(this, runtime, events.toArray(String[]::new));
    }

    @Override
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        String path = event == null || event.getRawPath() == null ? "" : event.getRawPath();
        return path.endsWith(EMAIL_ROUTE) ? emailAdapter.handle(event, context, email) : adapter.handle(event, context, webhook::handle);
    }
}
