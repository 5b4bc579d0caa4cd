package com.flexwebchat.studio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.webhook.WebhookRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/studio}: what the Studio flow needs to route a web chat, in one answer it
 * can use directly.
 *
 * <pre>
 * {"taskAttributes": {"name", "email"?, "initial_question"?, "channelType": "web", "conversationSid", ...ROUTING_FIELDS},
 *  "open": true|false,
 *  "opensAt": "2026-11-30T09:00:00+01:00" | null,
 *  "closedMessage": "We're closed right now. We open again Monday at 09:00 (Europe/Oslo)." | null}
 * </pre>
 *
 * The chat is named by {@code ConversationSid} (legacy flows: {@code ChannelSid}). An unknown chat
 * is 404 {@code conversation_not_found}, an ended one 409 {@code conversation_closed}: Studio takes
 * its {@code failed} transition on both, and the flow can tell them apart by
 * {@code widgets.<name>.status_code}. Only the SID and the outcome are logged, never the form.
 */
final class StudioContext {

    static final String CONVERSATION_SID = "ConversationSid";
    static final String CHANNEL_SID = "ChannelSid";
    private static final Pattern SID = Pattern.compile("CH[0-9a-fA-F]{32}");

    private final WebChats chats;
    private final TaskAttributes taskAttributes;
    private final BusinessHours businessHours;
    private final Clock clock;

    StudioContext(WebChats chats, WebChatConfig.Webhooks settings, Clock clock) {
        this.chats = chats;
        this.taskAttributes = new TaskAttributes(settings.routingFields());
        this.businessHours = BusinessHours.parse(settings.businessHours(), settings.businessTimezone(), settings.holidays());
        this.clock = clock;
    }

    HttpResponse answer(WebhookRequest request) {
        String sid = sid(request);
        Log.put("conversationSid", sid);
        Optional<Chat> found = chats.find(sid);
        if (found.isEmpty()) {
            Log.info("Studio asked about a chat Twilio does not have", "outcome", "conversation_not_found");
            throw ApiError.notFound("conversation_not_found", "There is no web chat " + sid);
        }
        Chat chat = found.get();
        if (chat.ended()) {
            Log.info("Studio asked about an ended chat", "outcome", "conversation_closed");
            throw ApiError.conflict("conversation_closed", "The web chat " + sid + " has ended");
        }
        ObjectNode body = answer(chat, clock.instant());
        boolean open = body.get("open").asBoolean();
        Log.info("Studio context answered", "outcome", open ? "open" : "closed_hours",
                "routingFields", TaskAttributes.routingFieldCount(body.get("taskAttributes")));
        return HttpResponse.ok(body);
    }

    /** The answer for a chat that is there and not ended. */
    ObjectNode answer(Chat chat, Instant now) {
        ObjectNode body = Json.object();
        body.set("taskAttributes", taskAttributes.of(chat));
        BusinessHours.Status status = businessHours.at(now);
        body.put("open", status.open());
        if (status.open()) {
            body.putNull("opensAt");
            body.putNull("closedMessage");
        } else {
            if (status.opensAt() == null) {
                body.putNull("opensAt");
            } else {
                body.put("opensAt", status.opensAt().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            }
            body.put("closedMessage", ClosedMessage.of(status.opensAt(), now));
        }
        return body;
    }

    private static String sid(WebhookRequest request) {
        String sid = request.param(CONVERSATION_SID);
        String field = CONVERSATION_SID;
        if (sid == null) {
            sid = request.param(CHANNEL_SID);
            field = CHANNEL_SID;
        }
        if (sid == null) {
            Log.info("Studio sent no chat SID", "outcome", "missing_sid");
            throw ApiError.invalidField(CONVERSATION_SID, "ConversationSid (or, from legacy flows, ChannelSid) is required:"
                    + " pass {{trigger.conversation.ConversationSid}}");
        }
        sid = sid.trim();
        if (!SID.matcher(sid).matches()) {
            Log.info("Studio sent a malformed chat SID", "outcome", "invalid_sid");
            throw ApiError.invalidField(field, field + " must be a conversation SID (CH followed by 32 hex characters)");
        }
        return sid;
    }
}
