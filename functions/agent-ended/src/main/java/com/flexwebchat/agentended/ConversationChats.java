package com.flexwebchat.agentended;

import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.conversations.v1.service.Conversation;
import com.twilio.rest.conversations.v1.service.ConversationFetcher;
import com.twilio.rest.conversations.v1.service.ConversationUpdater;
import com.twilio.rest.conversations.v1.service.conversation.Message;
import com.twilio.rest.conversations.v1.service.conversation.MessageCreator;
import com.twilio.rest.conversations.v1.service.conversation.MessageReader;
import java.util.List;
import java.util.Optional;

/**
 * Flex Conversations web chats, in Flex's conversation service ({@code /v1/Services/{IS}/...}).
 * A closed conversation is read-only for good and refuses messages
 * (https://www.twilio.com/docs/conversations/states-timers), so the notice goes first.
 */
final class ConversationChats implements Chats {

    private final TwilioGateway twilio;
    private final String serviceSid;

    ConversationChats(TwilioGateway twilio, String serviceSid) {
        this.twilio = twilio;
        this.serviceSid = serviceSid;
    }

    @Override
    public Optional<Chat> find(String sid) {
        Optional<Conversation> conversation = twilio.find("read the conversation's state", client -> new ConversationFetcher(serviceSid, sid).fetch(client));
        return conversation.map(c -> new Chat(c.getSid(), c.getState() == Conversation.State.CLOSED, Json.object()));
    }

    @Override
    public boolean hasEndingNotice(String sid) {
        List<Message> recent = twilio.call("read the latest messages", client ->
                new MessageReader(serviceSid, sid)
                        .setOrder(Message.OrderType.DESC)
                        .setPageSize(RECENT_MESSAGES)
                        .firstPage(client)
                        .getRecords());
        return recent.stream().anyMatch(m -> EndingNotice.is(m.getAuthor(), m.getAttributes()));
    }

    /** Without {@code X-Twilio-Webhook-Enabled}: a REST write raises no webhooks, so no Studio flow starts for it. */
    @Override
    public void postEndingNotice(String sid, String text, Ending ending, String taskSid) {
        twilio.call("post the closing notice", client ->
                new MessageCreator(serviceSid, sid)
                        .setAuthor(CONCIERGE)
                        .setBody(text)
                        .setAttributes(EndingNotice.attributes(ending, taskSid))
                        .create(client));
    }

    /**
     * {@code State=closed} with webhooks on, as Conversations' own closed timer would close it: whatever
     * listens for {@code onConversationStateUpdated} (Flex, reporting) sees this close too.
     */
    @Override
    public void end(Chat chat) {
        twilio.call("close the conversation", client ->
                new ConversationUpdater(serviceSid, chat.sid())
                        .setState(Conversation.State.CLOSED)
                        .setXTwilioWebhookEnabled(Conversation.WebhookEnabledType.TRUE)
                        .update(client));
    }

    @Override
    public void prime() {
        twilio.call("prime the Conversations client", client -> {
            Conversation.fromJson(Priming.json("{\"sid\":\"" + ChatEndings.PRIMING_SID + "\",\"state\":\"closed\"}"),
                    client.getObjectMapper());
            Message.fromJson(Priming.json("{\"author\":\"" + CONCIERGE + "\",\"attributes\":\"{}\"}"),
                    client.getObjectMapper());
            return null;
        });
        EndingNotice.is(CONCIERGE, EndingNotice.attributes(Ending.AGENT_ENDED, null));
    }
}
