package com.flexwebchat.agentended;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.chat.v2.service.Channel;
import com.twilio.rest.chat.v2.service.ChannelFetcher;
import com.twilio.rest.chat.v2.service.ChannelUpdater;
import com.twilio.rest.chat.v2.service.channel.Message;
import com.twilio.rest.chat.v2.service.channel.MessageCreator;
import com.twilio.rest.chat.v2.service.channel.MessageReader;
import com.twilio.rest.flexapi.v1.WebChannel;
import com.twilio.rest.flexapi.v1.WebChannelUpdater;
import java.util.List;
import java.util.Optional;

/**
 * Legacy web chats: Programmable Chat channels ({@code /v2/Services/{IS}/Channels/{CH}}) that
 * Flex's {@code POST /v1/WebChannels} made. Flex marks an ended chat {@code status: INACTIVE} in
 * the channel's attributes, which is what the widget and {@code /refreshToken} read.
 *
 * <p>Ending one: {@code POST /v1/WebChannels/{Sid}} with {@code ChatStatus=inactive}, Flex's own
 * way (operation UpdateWebChannel in Twilio's {@code twilio_flex_v1} OpenAPI spec; Flex allows one a
 * second, https://www.twilio.com/docs/flex/developer/messaging/limits, and the transport retries
 * its 429s). A channel that
 * endpoint does not know (404: not made by {@code /v1/WebChannels}, e.g. a custom channel) is
 * ended as Flex's channel janitor ends one: {@code status: INACTIVE} written into its attributes,
 * the rest kept, with {@code X-Twilio-Webhook-Enabled: true} so Flex's own clean-up hears it
 * (https://www.twilio.com/docs/flex/developer/messaging/manage-flows#channel-janitor).
 */
final class LegacyChannels implements Chats {

    static final String STATUS = "status";
    static final String INACTIVE = "INACTIVE";

    private final TwilioGateway twilio;
    private final String serviceSid;

    LegacyChannels(TwilioGateway twilio, String serviceSid) {
        this.twilio = twilio;
        this.serviceSid = serviceSid;
    }

    @Override
    public Optional<Chat> find(String sid) {
        Optional<Channel> channel = twilio.find("read the chat channel", client -> new ChannelFetcher(serviceSid, sid).fetch(client));
        return channel.map(c -> {
            ObjectNode attributes = attributes(c.getAttributes());
            return new Chat(c.getSid(), INACTIVE.equalsIgnoreCase(attributes.path(STATUS).asText("")), attributes);
        });
    }

    @Override
    public boolean hasEndingNotice(String sid) {
        List<Message> recent = twilio.call("read the latest chat messages", client ->
                new MessageReader(serviceSid, sid)
                        .setOrder(Message.OrderType.DESC)
                        .setPageSize(RECENT_MESSAGES)
                        .firstPage(client)
                        .getRecords());
        return recent.stream().anyMatch(m -> EndingNotice.is(m.getFrom(), m.getAttributes()));
    }

    /** Without {@code X-Twilio-Webhook-Enabled}: no webhook fires for it, so it never reaches Flex Flow's Studio flow. */
    @Override
    public void postEndingNotice(String sid, String text, Ending ending, String taskSid) {
        twilio.call("post the closing notice", client ->
                new MessageCreator(serviceSid, sid)
                        .setFrom(CONCIERGE)
                        .setBody(text)
                        .setAttributes(EndingNotice.attributes(ending, taskSid))
                        .create(client));
    }

    @Override
    public void end(Chat chat) {
        // A 404: the channel was not made by /v1/WebChannels, so it is ended through its attributes.
        boolean ended = twilio.find("end the web channel", client ->
                new WebChannelUpdater(chat.sid()).setChatStatus(WebChannel.ChatStatus.INACTIVE).update(client)).isPresent();
        if (ended) {
            return;
        }
        Log.info("Not a Flex web channel; marking the chat channel INACTIVE");
        String attributes = Json.write(chat.attributes().deepCopy().put(STATUS, INACTIVE));
        twilio.call("mark the chat channel INACTIVE", client ->
                new ChannelUpdater(serviceSid, chat.sid())
                        .setAttributes(attributes)
                        .setXTwilioWebhookEnabled(Channel.WebhookEnabledType.TRUE)
                        .update(client));
    }

    @Override
    public void prime() {
        twilio.call("prime the Chat client", client -> {
            Channel.fromJson(Priming.json("{\"sid\":\"" + ChatEndings.PRIMING_SID + "\",\"attributes\":\"{}\"}"),
                    client.getObjectMapper());
            Message.fromJson(Priming.json("{\"from\":\"" + CONCIERGE + "\",\"attributes\":\"{}\"}"),
                    client.getObjectMapper());
            WebChannel.fromJson(Priming.json("{\"sid\":\"" + ChatEndings.PRIMING_SID + "\"}"), client.getObjectMapper());
            return null;
        });
        attributes("{\"status\":\"ACTIVE\",\"from\":\"p\"}").deepCopy().put(STATUS, INACTIVE);
    }

    /** The channel's attributes as an object; anything unreadable counts as none (and is replaced when ended). */
    static ObjectNode attributes(String text) {
        if (text == null || text.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode node = Json.parse(text);
            return node instanceof ObjectNode object ? object : Json.object();
        } catch (JsonProcessingException e) {
            return Json.object();
        }
    }
}
