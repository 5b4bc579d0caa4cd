package com.flexwebchat.shared.chat.legacy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.ChatMessage;
import com.flexwebchat.shared.chat.Concierge;
import com.flexwebchat.shared.chat.StartedChat;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.chat.Webhooks;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.twilio.TwilioFailure;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.chat.v2.service.Channel;
import com.twilio.rest.chat.v2.service.ChannelFetcher;
import com.twilio.rest.chat.v2.service.ChannelUpdater;
import com.twilio.rest.chat.v2.service.channel.Message;
import com.twilio.rest.chat.v2.service.channel.MessageCreator;
import com.twilio.rest.chat.v2.service.channel.MessageReader;
import com.twilio.rest.chat.v2.service.user.UserChannel;
import com.twilio.rest.chat.v2.service.user.UserChannelReader;
import com.twilio.rest.flexapi.v1.WebChannel;
import com.twilio.rest.flexapi.v1.WebChannelCreator;
import com.twilio.rest.flexapi.v1.WebChannelUpdater;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Legacy Flex web chats (FLEX_FLOW_SID): Programmable Chat channels that Flex's
 * {@code POST /v1/WebChannels} makes, in the Chat service CHAT_SERVICE_SID. Programmable Chat for
 * Flex reached its end of life on 2026-06-01; this package is all there is of it, and deleting it
 * leaves only the choice in {@code WebChatRuntime} to patch.
 *
 * <p>Flex marks an ended chat {@code status: INACTIVE} in the channel's attributes, which is what
 * the widget and {@code /refreshToken} read. Ending one: {@code POST /v1/WebChannels/{Sid}} with
 * {@code ChatStatus=inactive}, Flex's own way (UpdateWebChannel in Twilio's {@code twilio_flex_v1}
 * spec; Flex allows one a second, https://www.twilio.com/docs/flex/developer/messaging/limits, and
 * the transport retries its 429s). A channel that endpoint does not know (404: not made by
 * {@code /v1/WebChannels}, e.g. a custom channel) is ended as Flex's channel janitor ends one:
 * {@code status: INACTIVE} written into its attributes, the rest kept
 * (https://www.twilio.com/docs/flex/developer/messaging/manage-flows#channel-janitor).
 * Legacy channels have no timers; the janitor ends abandoned ones.
 */
public final class ProgrammableChat implements WebChats {

    static final String STATUS = "status";
    static final String INACTIVE = "INACTIVE";
    private static final String CHAT_FRIENDLY_NAME = "Webchat widget";
    private static final long MEMBERSHIP_PAGE = 20;

    private final TwilioGateway twilio;
    private final String flexFlowSid;
    private final String chatServiceSid;

    public ProgrammableChat(TwilioGateway twilio, String flexFlowSid, String chatServiceSid) {
        this.twilio = twilio;
        this.flexFlowSid = flexFlowSid;
        this.chatServiceSid = chatServiceSid;
    }

    /** Unlike the Conversations orchestration, {@code /v1/WebChannels} picks no identity: each visitor gets a fresh random one. */
    @Override
    public StartedChat start(String customerName, String preEngagementData) {
        String identity = UUID.randomUUID().toString();
        WebChannel channel = twilio.call("create the web channel", client -> new WebChannelCreator(
                        flexFlowSid, identity, customerName, CHAT_FRIENDLY_NAME)
                .setPreEngagementData(preEngagementData)
                .create(client));
        return new StartedChat(TwilioFailure.require("create the web channel", "sid", channel.getSid()), identity);
    }

    @Override
    public boolean hasTimers() {
        return false;
    }

    @Override
    public void startTimers(String chatSid, Duration closeAfter, Duration inactiveAfter) {
    }

    @Override
    public Optional<Chat> find(String chatSid) {
        return twilio.find("read the chat channel", client -> new ChannelFetcher(chatServiceSid, chatSid).fetch(client))
                .map(ProgrammableChat::chat);
    }

    /** The identity's channels ({@code GET /v2/Services/{IS}/Users/{Identity}/Channels}), each read for its status. */
    @Override
    public List<String> openChatsOf(String identity) {
        List<String> open = new ArrayList<>();
        for (UserChannel membership : memberships(identity)) {
            if (isOpen(membership)) {
                open.add(membership.getChannelSid());
            }
        }
        return open;
    }

    /** Stops at the first open channel: one fetch for the usual visitor with one chat. */
    @Override
    public boolean hasOpenChat(String identity) {
        for (UserChannel membership : memberships(identity)) {
            if (isOpen(membership)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<ChatMessage> latestMessages(String chatSid, int count) {
        List<Message> messages = twilio.list("read the latest chat messages", client ->
                new MessageReader(chatServiceSid, chatSid)
                        .setOrder(Message.OrderType.DESC)
                        .setPageSize((long) count)
                        .firstPage(client));
        return messages.stream().map(ProgrammableChat::message).toList();
    }

    /**
     * A Programmable Chat message as a {@link ChatMessage}: its author is {@code from}, its media the one file a
     * chat message can carry. Legacy chats have no {@link #history}: the default's
     * {@link UnsupportedOperationException} stands, since Programmable Chat reached its end of life.
     */
    static ChatMessage message(Message m) {
        return new ChatMessage(m.getSid(), m.getIndex(), m.getFrom(), m.getBody(),
                m.getDateCreated() == null ? null : m.getDateCreated().toInstant(), Chat.attributes(m.getAttributes()),
                ChatMessage.mediaOf(m.getMedia()));
    }

    @Override
    public void postAsVisitor(StartedChat chat, String body) {
        twilio.call("post the visitor's message", client ->
                new MessageCreator(chatServiceSid, chat.sid())
                        .setFrom(chat.identity())
                        .setBody(body)
                        .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE)
                        .create(client));
    }

    /** Without {@code X-Twilio-Webhook-Enabled}: no webhook fires for it, so it never reaches Flex Flow's Studio flow. */
    @Override
    public void postAsConcierge(String chatSid, String body, ObjectNode attributes) {
        twilio.call("post the Concierge's message", client -> {
            MessageCreator message = new MessageCreator(chatServiceSid, chatSid).setFrom(Concierge.AUTHOR).setBody(body);
            if (attributes != null) {
                message.setAttributes(Json.write(attributes));
            }
            return message.create(client);
        });
    }

    @Override
    public boolean close(String chatSid, Webhooks webhooks) {
        // A 404: the channel was not made by /v1/WebChannels, so it is ended through its attributes.
        boolean ended = twilio.find("end the web channel", client ->
                new WebChannelUpdater(chatSid).setChatStatus(WebChannel.ChatStatus.INACTIVE).update(client)).isPresent();
        if (ended) {
            return true;
        }
        Optional<Chat> channel = find(chatSid);
        if (channel.isEmpty() || channel.get().ended()) {
            return false;
        }
        Log.info("Not a Flex web channel; marking the chat channel INACTIVE");
        String attributes = Json.write(channel.get().attributes().deepCopy().put(STATUS, INACTIVE));
        twilio.call("mark the chat channel INACTIVE", client -> {
            ChannelUpdater update = new ChannelUpdater(chatServiceSid, chatSid).setAttributes(attributes);
            if (webhooks == Webhooks.ON) {
                update.setXTwilioWebhookEnabled(Channel.WebhookEnabledType.TRUE);
            }
            return update.update(client);
        });
        return true;
    }

    private List<UserChannel> memberships(String identity) {
        return twilio.list("look up the visitor's channels", client ->
                new UserChannelReader(chatServiceSid, identity).setPageSize(MEMBERSHIP_PAGE).firstPage(client));
    }

    private boolean isOpen(UserChannel membership) {
        Channel channel = twilio.call("read the visitor's channel", client ->
                new ChannelFetcher(chatServiceSid, membership.getChannelSid()).fetch(client));
        return !chat(channel).ended();
    }

    private static Chat chat(Channel channel) {
        ObjectNode attributes = Chat.attributes(channel.getAttributes());
        String sid = TwilioFailure.require("read the chat channel", "sid", channel.getSid());
        return new Chat(sid, INACTIVE.equalsIgnoreCase(attributes.path(STATUS).asText("")), attributes);
    }
}
