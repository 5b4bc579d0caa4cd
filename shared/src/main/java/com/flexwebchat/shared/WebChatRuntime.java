package com.flexwebchat.shared;

import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.chat.legacy.ProgrammableChat;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.flex.FlexInteractions;
import com.flexwebchat.shared.http.ApiGatewayAdapter;
import com.flexwebchat.shared.http.OriginPolicy;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.AccessTokenVerifier;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.flexwebchat.shared.webhook.TwilioSignature;
import com.flexwebchat.shared.webhook.WebhookAdapter;
import java.time.Clock;
import java.time.Duration;

/**
 * What every function is built from, once per cold start: the validated configuration, the
 * Twilio gateway, web chat access of the configured kind, and the factories for tokens and
 * adapters. Handlers take one in their constructor, so tests hand in a runtime pointed at the
 * emulator, with their own clock.
 *
 * @param chats        Flex Conversations web chats, or with FLEX_FLOW_SID legacy Programmable Chat ones
 * @param interactions Flex's interactions of those chats (legacy chats have none)
 */
public record WebChatRuntime(WebChatConfig config, TwilioGateway twilio, WebChats chats, FlexInteractions interactions,
                             Clock clock) {

    public static WebChatRuntime fromEnvironment() {
        return create(WebChatConfig.fromEnvironment(), Clock.systemUTC());
    }

    /** The one place where Flex Conversations and legacy Programmable Chat part ways. */
    public static WebChatRuntime create(WebChatConfig config, Clock clock) {
        TwilioGateway twilio = TwilioGateway.connect(config);
        if (config.legacy()) {
            return new WebChatRuntime(config, twilio, new ProgrammableChat(twilio, config.flexFlowSid(), config.chatServiceSid()),
                    FlexInteractions.NONE, clock);
        }
        return new WebChatRuntime(config, twilio, FlexConversations.of(config, twilio),
                new FlexInteractions(twilio, config.webhooks().taskrouterWorkspaceSid()), clock);
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
}
