package com.flexwebchat.webchannel;

import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.chat.v2.service.ChannelReader;
import com.twilio.rest.chat.v2.service.channel.Message;
import com.twilio.rest.chat.v2.service.channel.MessageCreator;
import com.twilio.rest.flexapi.v1.WebChannel;
import com.twilio.rest.flexapi.v1.WebChannelCreator;
import java.util.UUID;

/**
 * Legacy Flex web chats on Programmable Chat: {@code POST /v1/WebChannels} with a Flex Flow
 * creates a chat channel with the visitor as its member. Unlike the v2 orchestration it does not
 * pick an identity, so each visitor gets a fresh random one.
 */
final class LegacyProgrammableChat implements ChatOrchestration {

    private final TwilioGateway twilio;
    private final String flexFlowSid;
    private final String chatServiceSid;

    LegacyProgrammableChat(TwilioGateway twilio, String flexFlowSid, String chatServiceSid) {
        this.twilio = twilio;
        this.flexFlowSid = flexFlowSid;
        this.chatServiceSid = chatServiceSid;
    }

    @Override
    public StartedChat start(PreEngagementForm form) {
        String identity = UUID.randomUUID().toString();
        WebChannel channel = twilio.call("create the web channel", client -> new WebChannelCreator(
                        flexFlowSid, identity, form.friendlyName(), FlexConversations.CHAT_FRIENDLY_NAME)
                .setPreEngagementData(form.preEngagementData())
                .create(client));
        return new StartedChat(channel.getSid(), identity);
    }

    @Override
    public void prime() {
        twilio.call("prime the Twilio client", client -> {
            WebChannel.fromJson(Priming.json("{\"sid\":\"CH00000000000000000000000000000000\"}"), client.getObjectMapper());
            Message.fromJson(Priming.json("{\"sid\":\"IM00000000000000000000000000000000\",\"index\":0}"), client.getObjectMapper());
            return new ChannelReader(chatServiceSid).setPageSize(1L).firstPage(client);
        });
    }

    @Override
    public void postVisitorMessage(StartedChat chat, String body) {
        twilio.call("post the visitor's first message", client ->
                new MessageCreator(chatServiceSid, chat.conversationSid())
                        .setFrom(chat.identity())
                        .setBody(body)
                        .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE)
                        .create(client));
    }

    @Override
    public void postConciergeMessage(StartedChat chat, String body) {
        twilio.call("post the welcome message", client ->
                new MessageCreator(chatServiceSid, chat.conversationSid())
                        .setFrom(FlexConversations.CONCIERGE)
                        .setBody(body)
                        .create(client));
    }
}
