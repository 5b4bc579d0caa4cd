package com.flexwebchat.emulator.flex;

import com.flexwebchat.emulator.http.Sids;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Flex Interaction Channel ({@code UO...}): the media channel of an {@link Interaction} (here always a
 * conversation) and the TaskRouter tasks routed for it. "An interaction channel may have multiple tasks associated
 * with it but can only have one Twilio Conversation associated."
 *
 * @see <a href="https://www.twilio.com/docs/flex/developer/conversations/interactions-api/channels-subresource">Channels Subresource</a>
 */
final class InteractionChannel {

    /** {@code interaction_channel_enum_channel_status}. */
    enum Status {
        SETUP, ACTIVE, FAILED, CLOSED, INACTIVE, PAUSE, TRANSFER;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code interaction_channel_enum_type}. */
    static final List<String> TYPES = List.of("voice", "sms", "email", "web", "whatsapp", "chat", "messenger", "gbm");

    final String sid = Sids.random("UO");
    final Interaction interaction;
    final String type;
    final String conversationSid;
    final List<String> taskSids = new ArrayList<>();
    /** Twilio answers the create at once and sets the channel up afterwards; the emulator is done by then. */
    Status status = Status.ACTIVE;

    InteractionChannel(Interaction interaction, String type, String conversationSid) {
        this.interaction = interaction;
        this.type = type;
        this.conversationSid = conversationSid;
    }

    String url() {
        return interaction.url() + "/Channels/" + sid;
    }

    /** The {@code flex.v1.interaction.interaction_channel} resource. */
    Map<String, Object> toResource() {
        String url = url();
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("participants", url + "/Participants");
        links.put("invites", url + "/Invites");
        links.put("transfers", url + "/Transfers");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sid", sid);
        r.put("interaction_sid", interaction.sid);
        r.put("type", type);
        r.put("status", status.wire());
        r.put("error_code", null);
        r.put("error_message", null);
        r.put("url", url);
        r.put("links", links);
        return r;
    }
}
