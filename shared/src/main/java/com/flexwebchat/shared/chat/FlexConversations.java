package com.flexwebchat.shared.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.twilio.TwilioFailure;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.exception.ApiException;
import com.twilio.rest.conversations.v1.service.Conversation;
import com.twilio.rest.conversations.v1.service.ConversationFetcher;
import com.twilio.rest.conversations.v1.service.ConversationUpdater;
import com.twilio.rest.conversations.v1.service.ParticipantConversation;
import com.twilio.rest.conversations.v1.service.ParticipantConversationReader;
import com.twilio.rest.conversations.v1.service.User;
import com.twilio.rest.conversations.v1.service.UserFetcher;
import com.twilio.rest.conversations.v1.service.UserUpdater;
import com.twilio.rest.conversations.v1.service.conversation.Message;
import com.twilio.rest.conversations.v1.service.conversation.MessageCreator;
import com.twilio.rest.conversations.v1.service.conversation.MessageReader;
import com.twilio.rest.flexapi.v2.WebChannels;
import com.twilio.rest.flexapi.v2.WebChannelsCreator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Flex Conversations web chats: {@code POST /v2/WebChats}, Flex's web chat orchestration, creates
 * the conversation, the visitor's participant and the Studio hand-off in one call
 * (https://www.twilio.com/docs/flex/developer/conversations/webchat); everything else is the
 * Conversations API in Flex's conversation service ({@code /v1/Services/{IS}/...}). A chat's SID
 * is its conversation's (and, for chats that began on Programmable Chat, its channel's too).
 *
 * <p>Beyond {@link WebChats}, what only Conversations has: the Users whose friendly names the
 * widget shows as authors.
 */
public final class FlexConversations implements WebChats {

    static final String CHAT_FRIENDLY_NAME = "Webchat widget";
    /** Sent as Flex's {@code Ui-Version} header, which identifies the web chat client to Flex. */
    static final String UI_VERSION = "1.0.0";
    /** "Conversation ... in final closed state": someone (Flex, a timer, an earlier call) closed it first. */
    static final int ALREADY_CLOSED = 50377;
    /** A web chat visitor is in one conversation; a page is plenty. */
    private static final long PARTICIPANT_PAGE = 50;
    /** The most messages {@link #history} reads of a chat: ten pages of Twilio's largest. */
    public static final int MAX_HISTORY = 1_000;
    /** Messages' {@code PageSize}: "The default is 50, and the maximum is 100." (OpenAPI, twilio_conversations_v1). */
    private static final long HISTORY_PAGE = 100;

    private final TwilioGateway twilio;
    private final String addressSid;
    private final String serviceSid;

    /** @param addressSid the Flex web chat address ({@code IG...}), or null where no chat is started */
    public FlexConversations(TwilioGateway twilio, String addressSid, String serviceSid) {
        this.twilio = twilio;
        this.addressSid = addressSid;
        this.serviceSid = serviceSid;
    }

    /** The Flex conversation service the configuration names (CONVERSATIONS_SERVICE_SID). */
    public static FlexConversations of(WebChatConfig config, TwilioGateway twilio) {
        return new FlexConversations(twilio, config.addressSid(), config.conversationsServiceSid());
    }

    @Override
    public StartedChat start(String customerName, String preEngagementData) {
        WebChannels created = twilio.call("create the web chat", client -> new WebChannelsCreator(addressSid)
                .setChatFriendlyName(CHAT_FRIENDLY_NAME)
                .setCustomerFriendlyName(customerName)
                .setPreEngagementData(preEngagementData)
                .setUiVersion(UI_VERSION)
                .create(client));
        return new StartedChat(TwilioFailure.require("create the web chat", "conversation_sid", created.getConversationSid()),
                TwilioFailure.require("create the web chat", "identity", created.getIdentity()));
    }

    @Override
    public boolean hasTimers() {
        return true;
    }

    /**
     * {@code POST /v1/Services/{IS}/Conversations/{CH}} with {@code Timers.Closed} and
     * {@code Timers.Inactive} as ISO 8601 durations: Twilio then closes the conversation when its
     * timer runs out, whatever the visitor's browser does (https://www.twilio.com/docs/conversations/states-timers).
     */
    @Override
    public void startTimers(String chatSid, Duration closeAfter, Duration inactiveAfter) {
        twilio.call("start the conversation's timers", client -> {
            ConversationUpdater update = new ConversationUpdater(serviceSid, chatSid).setTimersClosed(iso(closeAfter));
            if (inactiveAfter != null) {
                update.setTimersInactive(iso(inactiveAfter));
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
    public Optional<Chat> find(String chatSid) {
        return twilio.find("read the conversation", client -> new ConversationFetcher(serviceSid, chatSid).fetch(client))
                .map(c -> new Chat(TwilioFailure.require("read the conversation", "sid", c.getSid()),
                        c.getState() == Conversation.State.CLOSED, Chat.attributes(c.getAttributes())));
    }

    /**
     * {@code GET /v1/Services/{IS}/ParticipantConversations?Identity=}: one call, with each
     * conversation's state. An inactive conversation takes messages again and counts as open.
     */
    @Override
    public List<String> openChatsOf(String identity) {
        List<ParticipantConversation> conversations = twilio.list("look up the visitor's conversations", client ->
                new ParticipantConversationReader(serviceSid)
                        .setIdentity(identity)
                        .setPageSize(PARTICIPANT_PAGE)
                        .firstPage(client));
        return conversations.stream()
                .filter(c -> c.getConversationState() != ParticipantConversation.State.CLOSED)
                .map(ParticipantConversation::getConversationSid)
                .toList();
    }

    /**
     * The identity's newest chat that is open, or ended (was last updated) after {@code endedAfter}:
     * the chat a visitor's token may still ask a transcript of. From the same one call as
     * {@link #openChatsOf}, which carries each conversation's attributes and dates.
     */
    public Optional<Chat> latestChatOf(String identity, Instant endedAfter) {
        List<ParticipantConversation> conversations = twilio.list("look up the visitor's conversations", client ->
                new ParticipantConversationReader(serviceSid)
                        .setIdentity(identity)
                        .setPageSize(PARTICIPANT_PAGE)
                        .firstPage(client));
        return conversations.stream()
                .filter(c -> c.getConversationSid() != null)
                .filter(c -> c.getConversationState() != ParticipantConversation.State.CLOSED
                        || c.getConversationDateUpdated() != null && c.getConversationDateUpdated().toInstant().isAfter(endedAfter))
                .max(Comparator.comparing((ParticipantConversation c) -> c.getConversationDateCreated() == null
                        ? Instant.EPOCH : c.getConversationDateCreated().toInstant()))
                .map(c -> new Chat(c.getConversationSid(), c.getConversationState() == ParticipantConversation.State.CLOSED,
                        Chat.attributes(c.getConversationAttributes())));
    }

    @Override
    public List<ChatMessage> latestMessages(String chatSid, int count) {
        List<Message> messages = twilio.list("read the latest messages", client ->
                new MessageReader(serviceSid, chatSid)
                        .setOrder(Message.OrderType.DESC)
                        .setPageSize((long) count)
                        .firstPage(client));
        return messages.stream().map(FlexConversations::message).toList();
    }

    /**
     * {@code GET /v1/Services/{IS}/Conversations/{CH}/Messages?Order=asc&PageSize=100}, page after page, up to
     * {@link #MAX_HISTORY} messages: each with its author, body, date, index, attributes and media (the files'
     * SIDs, names, types and sizes, whose bytes {@code ConversationMedia} reads from this service).
     */
    @Override
    public ChatHistory history(String chatSid) {
        TwilioGateway.Listed<Message> listed = twilio.listAll("read the chat's messages",
                new MessageReader(serviceSid, chatSid).setOrder(Message.OrderType.ASC).setPageSize(HISTORY_PAGE), MAX_HISTORY);
        return new ChatHistory(chatSid, serviceSid, listed.records().stream().map(FlexConversations::message).toList(),
                !listed.complete());
    }

    static ChatMessage message(Message m) {
        return new ChatMessage(m.getSid(), m.getIndex(), m.getAuthor(), m.getBody(),
                m.getDateCreated() == null ? null : m.getDateCreated().toInstant(), Chat.attributes(m.getAttributes()),
                ChatMessage.mediaOf(m.getMedia()));
    }

    @Override
    public void postAsVisitor(StartedChat chat, String body) {
        twilio.call("post the visitor's message", client ->
                new MessageCreator(serviceSid, chat.sid())
                        .setAuthor(chat.identity())
                        .setBody(body)
                        .setXTwilioWebhookEnabled(Message.WebhookEnabledType.TRUE)
                        .create(client));
    }

    /** Without {@code X-Twilio-Webhook-Enabled}: a REST write raises no webhooks, so nothing posted here comes back to us. */
    @Override
    public void postAsConcierge(String chatSid, String body, ObjectNode attributes) {
        twilio.call("post the Concierge's message", client -> {
            MessageCreator message = new MessageCreator(serviceSid, chatSid).setAuthor(Concierge.AUTHOR).setBody(body);
            if (attributes != null) {
                message.setAttributes(Json.write(attributes));
            }
            return message.create(client);
        });
    }

    /**
     * {@code State=closed}. With {@link Webhooks#ON}, as Conversations' own closed timer would close it:
     * whatever listens for {@code onConversationStateUpdated} (Flex, reporting) hears this close too.
     * Closing a Flex interaction channel "also closes the underlying media channel"
     * (https://www.twilio.com/docs/api/errors/80906), so the conversation may be closed already:
     * Twilio's 50377 counts as done.
     */
    @Override
    public boolean close(String chatSid, Webhooks webhooks) {
        return twilio.call("close the conversation", client -> {
            ConversationUpdater update = new ConversationUpdater(serviceSid, chatSid).setState(Conversation.State.CLOSED);
            if (webhooks == Webhooks.ON) {
                update.setXTwilioWebhookEnabled(Conversation.WebhookEnabledType.TRUE);
            }
            try {
                update.update(client);
                return true;
            } catch (ApiException e) {
                if (e.getCode() != null && e.getCode() == ALREADY_CLOSED) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** The friendly name the widget shows for this identity's messages. */
    public String friendlyName(String identity) {
        User user = twilio.call("read the participant's user", client ->
                new UserFetcher(serviceSid, pathSegment(identity)).fetch(client));
        return user.getFriendlyName();
    }

    public void setFriendlyName(String identity, String friendlyName) {
        twilio.call("set the participant's public name", client ->
                new UserUpdater(serviceSid, pathSegment(identity)).setFriendlyName(friendlyName).update(client));
    }

    /**
     * The SDK puts path parameters into the URL as they are. Flex's identities are URL-safe
     * ({@code alice_40example_2Ecom}), so this changes nothing for them; anything else is
     * percent-encoded rather than allowed to break the URL.
     */
    static String pathSegment(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
