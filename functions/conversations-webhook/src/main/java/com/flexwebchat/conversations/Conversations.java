package com.flexwebchat.conversations;

import com.flexwebchat.shared.chat.Concierge;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.conversations.v1.service.Conversation;
import com.twilio.rest.conversations.v1.service.ConversationFetcher;
import com.twilio.rest.conversations.v1.service.User;
import com.twilio.rest.conversations.v1.service.UserFetcher;
import com.twilio.rest.conversations.v1.service.UserUpdater;
import com.twilio.rest.conversations.v1.service.conversation.Message;
import com.twilio.rest.conversations.v1.service.conversation.MessageCreator;
import com.twilio.rest.conversations.v1.service.conversation.MessageReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Conversations API calls this function makes, all on Flex's conversation service
 * ({@code /v1/Services/{IS}/...}). Writes go without {@code X-Twilio-Webhook-Enabled}: REST
 * actions then raise no webhooks (https://www.twilio.com/docs/conversations/conversations-webhooks),
 * so nothing posted here comes back to this function.
 */
final class Conversations {

    static final String CONCIERGE = Concierge.AUTHOR;
    /** The attribute that ties a join notice to the participant it announces. */
    static final String JOINED_PARTICIPANT = "joinedParticipantSid";
    /**
     * How far back a join notice is looked for. A repeated delivery follows the first within
     * seconds, so its notice is among the latest messages.
     */
    private static final long RECENT_MESSAGES = 50;

    private final TwilioGateway twilio;
    private final String serviceSid;

    Conversations(TwilioGateway twilio, String serviceSid) {
        this.twilio = twilio;
        this.serviceSid = serviceSid;
    }

    boolean isClosed(String conversationSid) {
        Conversation conversation = twilio.call("read the conversation's state", client ->
                new ConversationFetcher(serviceSid, conversationSid).fetch(client));
        return conversation.getState() == Conversation.State.CLOSED;
    }

    /** The friendly name the widget shows for this identity's messages. */
    String friendlyName(String identity) {
        User user = twilio.call("read the agent's user", client ->
                new UserFetcher(serviceSid, pathSegment(identity)).fetch(client));
        return user.getFriendlyName();
    }

    void setFriendlyName(String identity, String friendlyName) {
        twilio.call("set the agent's public name", client ->
                new UserUpdater(serviceSid, pathSegment(identity)).setFriendlyName(friendlyName).update(client));
    }

    /** Whether one of the latest messages is the Concierge's notice for this participant. */
    boolean hasJoinNotice(String conversationSid, String participantSid) {
        List<Message> recent = twilio.call("read the latest messages", client ->
                new MessageReader(serviceSid, conversationSid)
                        .setOrder(Message.OrderType.DESC)
                        .setPageSize(RECENT_MESSAGES)
                        .firstPage(client)
                        .getRecords());
        return recent.stream().anyMatch(m -> CONCIERGE.equals(m.getAuthor())
                && participantSid.equals(joinedParticipant(m.getAttributes())));
    }

    void postJoinNotice(String conversationSid, String participantSid, String text) {
        String attributes = Json.write(Json.object().put(JOINED_PARTICIPANT, participantSid));
        twilio.call("post the agent's join notice", client ->
                new MessageCreator(serviceSid, conversationSid)
                        .setAuthor(CONCIERGE)
                        .setBody(text)
                        .setAttributes(attributes)
                        .create(client));
    }

    /** For the SnapStart snapshot: the SDK's JSON for what these calls read, without a call. */
    void prime() {
        twilio.call("prime the Conversations client", client -> {
            Conversation.fromJson(Priming.json("{\"sid\":\"CH00000000000000000000000000000000\",\"state\":\"active\"}"),
                    client.getObjectMapper());
            User.fromJson(Priming.json("{\"identity\":\"" + Priming.IDENTITY + "\",\"friendly_name\":\"p\"}"),
                    client.getObjectMapper());
            Message.fromJson(Priming.json("{\"author\":\"" + CONCIERGE + "\",\"attributes\":\"{}\"}"),
                    client.getObjectMapper());
            return null;
        });
        joinedParticipant("{\"" + JOINED_PARTICIPANT + "\":\"MB00000000000000000000000000000000\"}");
    }

    private static String joinedParticipant(String attributes) {
        if (attributes == null) {
            return null;
        }
        try {
            return Json.parse(attributes).path(JOINED_PARTICIPANT).asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
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
