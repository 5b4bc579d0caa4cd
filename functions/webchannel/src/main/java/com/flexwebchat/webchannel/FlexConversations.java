package com.flexwebchat.webchannel;

import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.conversations.v1.service.ParticipantConversationReader;
import com.twilio.rest.conversations.v1.service.conversation.Message;
import com.twilio.rest.conversations.v1.service.conversation.MessageCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import com.twilio.rest.flexapi.v2.WebChannelsCreator;

/**
 * Flex Conversations web chats: {@code POST /v2/WebChats}, Flex's web chat orchestration, creates
 * the Conversation, the visitor's participant and the Studio hand-off in one call
 * (https://www.twilio.com/docs/flex/developer/conversations/webchat).
 */
final class FlexConversations implements ChatOrchestration {

    static final String CHAT_FRIENDLY_NAME = "Webchat widget";
    static final String CONCIERGE = "Concierge";
    /** Sent as Flex's {@code Ui-Version} header, which identifies the web chat client to Flex. */
    static final String UI_VERSION = "1.0.0";

    private final TwilioGateway twilio;
    private final String addressSid;
    private final String conversationsServiceSid;

    FlexConversations(TwilioGateway twilio, String addressSid, String conversationsServiceSid) {
        this.twilio = twilio;
        this.addressSid = addressSid;
        this.conversationsServiceSid = conversationsServiceSid;
    }

    @Override
    public StartedChat start(PreEngagementForm form) {
        WebChannels created = twilio.call("create the web chat", client -> new WebChannelsCreator(addressSid)
                .setChatFriendlyName(CHAT_FRIENDLY_NAME)
                .setCustomerFriendlyName(form.friendlyName())
                .setPreEngagementData(form.preEngagementData())
                .setUiVersion(UI_VERSION)
                .create(client));
        return new StartedChat(created.getConversationSid(), created.getIdentity());
    }

    @Override
    public void prime() {
        twilio.call("prime the Twilio client", client -> {
            WebChannels.fromJson(Priming.json("{\"conversation_sid\":\"CH00000000000000000000000000000000\",\"identity\":\"p\"}"),
                    client.getObjectMapper());
            Message.fromJson(Priming.json("{\"sid\":\"IM00000000000000000000000000000000\",\"index\":0}"), client.getObjectMapper());
            return new ParticipantConversationReader(conversationsServiceSid)
                    .setIdentity(Priming.IDENTITY).setPageSize(1L).firstPage(client);
        });
    }

    @Override
    public void postVisitorMessage(StartedChat chat, String body) {
        twilio.call("post the visitor's first message", client ->
                new MessageCreator(conversationsServiceSid, chat.conversationSid())
                        .setAuthor(chat.identity())
                        .setBody(body)
                        .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE)
                        .create(client));
    }

    @Override
    public void postConciergeMessage(StartedChat chat, String body) {
        twilio.call("post the welcome message", client ->
                new MessageCreator(conversationsServiceSid, chat.conversationSid())
                        .setAuthor(CONCIERGE)
                        .setBody(body)
                        .create(client));
    }
}
