package com.flexwebchat.webchannel;

import com.flexwebchat.shared.chat.Concierge;
import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.conversations.v1.service.Conversation;
import com.twilio.rest.conversations.v1.service.ConversationUpdater;
import com.twilio.rest.conversations.v1.service.ParticipantConversationReader;
import com.twilio.rest.conversations.v1.service.conversation.Message;
import com.twilio.rest.conversations.v1.service.conversation.MessageCreator;
import com.twilio.rest.flexapi.v2.WebChannels;
import com.twilio.rest.flexapi.v2.WebChannelsCreator;
import java.time.Duration;

/**
 * Flex Conversations web chats: {@code POST /v2/WebChats}, Flex's web chat orchestration, creates
 * the Conversation, the visitor's participant and the Studio hand-off in one call
 * (https://www.twilio.com/docs/flex/developer/conversations/webchat).
 */
final class FlexConversations implements ChatOrchestration {

    static final String CHAT_FRIENDLY_NAME = "Webchat widget";
    static final String CONCIERGE = Concierge.AUTHOR;
    /** Sent as Flex's {@code Ui-Version} header, which identifies the web chat client to Flex. */
    static final String UI_VERSION = "1.0.0";

    private final TwilioGateway twilio;
    private final String addressSid;
    private final String conversationsServiceSid;
    private final WebChatConfig.Endings endings;

    FlexConversations(TwilioGateway twilio, String addressSid, String conversationsServiceSid, WebChatConfig.Endings endings) {
        this.twilio = twilio;
        this.addressSid = addressSid;
        this.conversationsServiceSid = conversationsServiceSid;
        this.endings = endings;
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
    public boolean startsTimers() {
        return true;
    }

    /**
     * {@code POST /v1/Services/{IS}/Conversations/{CH}} with {@code Timers.Closed} (CLOSE_AFTER,
     * default P1D) and {@code Timers.Inactive} (INACTIVE_AFTER, when set), as ISO 8601 durations:
     * Twilio then closes the conversation when its timer runs out, whatever the visitor's browser
     * does (https://www.twilio.com/docs/conversations/states-timers). The account's default timer,
     * when one is configured, still applies to conversations this call failed for.
     */
    @Override
    public void startTimers(StartedChat chat) {
        twilio.call("start the conversation's timers", client -> {
            ConversationUpdater update = new ConversationUpdater(conversationsServiceSid, chat.conversationSid())
                    .setTimersClosed(iso(endings.closeAfter()));
            if (endings.inactiveAfter() != null) {
                update.setTimersInactive(iso(endings.inactiveAfter()));
            }
            return update.update(client);
        });
    }

    /** ISO 8601 as people write it: whole days as {@code P1D} rather than {@link Duration#toString()}'s {@code PT24H}. */
    static String iso(Duration duration) {
        long seconds = duration.getSeconds();
        if (duration.getNano() == 0 && seconds > 0 && seconds % 86_400 == 0) {
            return "P" + seconds / 86_400 + "D";
        }
        return duration.toString();
    }

    @Override
    public void prime() {
        twilio.call("prime the Twilio client", client -> {
            WebChannels.fromJson(Priming.json("{\"conversation_sid\":\"CH00000000000000000000000000000000\",\"identity\":\"p\"}"),
                    client.getObjectMapper());
            Message.fromJson(Priming.json("{\"sid\":\"IM00000000000000000000000000000000\",\"index\":0}"), client.getObjectMapper());
            Conversation.fromJson(Priming.json("{\"sid\":\"CH00000000000000000000000000000000\",\"state\":\"active\","
                    + "\"timers\":{\"date_closed\":\"2026-01-01T00:00:00Z\"}}"), client.getObjectMapper());
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
