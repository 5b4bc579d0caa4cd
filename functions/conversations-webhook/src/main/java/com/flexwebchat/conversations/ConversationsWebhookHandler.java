package com.flexwebchat.conversations;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.flex.AgentNames;
import com.flexwebchat.shared.flex.FlexAgents;
import com.flexwebchat.shared.redaction.CardNumberRedactor;
import com.flexwebchat.shared.snapstart.SnapStart;
import com.flexwebchat.shared.webhook.WebhookAdapter;
import java.time.Duration;

/**
 * The Conversations webhook function: {@code POST /webhooks/conversations}, configured as the
 * Flex conversation service's pre- and post-event webhook. A thin adapter; the work is in
 * {@link ConversationsWebhook}. Everything is built in the constructor, once per cold start (and
 * captured in the SnapStart snapshot, taken after the route ran on its events/ files).
 */
public final class ConversationsWebhookHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

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
    public static final java.util.List<String> EVENTS = ConversationsWebhook.EVENTS;
    /** The pre-event's Twilio reads (the conversation's state, an agent check) together. */
    static final Duration ENRICHMENT_BUDGET = Duration.ofMillis(1_500);

    private final WebhookAdapter adapter;
    private final ConversationsWebhook webhook;
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
        this.webhook = new ConversationsWebhook(
                new MessageScreening(conversations, agents, new CardNumberRedactor(), settings.maxMessageLength(),
                        ENRICHMENT_BUDGET),
                new AgentAnnouncer(agents, new AgentNames(runtime.twilio(), config.conversationsServiceSid()), conversations,
                        settings.defaultAgentName(), runtime.exactlyOnce()), runtime.exactlyOnce());
        this.adapter = runtime.webhookAdapter(BUDGET);
        this.snapStart = SnapStart.register(this, runtime, "webhooks-conversations-onMessageAdd.json",
                "webhooks-conversations-onParticipantAdded.json", "webhooks-conversations-onConversationUpdated.json");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return adapter.handle(event, context, webhook::handle);
    }
}
