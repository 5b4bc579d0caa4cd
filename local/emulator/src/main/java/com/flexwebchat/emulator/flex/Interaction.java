package com.flexwebchat.emulator.flex;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Flex Interaction ({@code KD...}): one customer contact, with (in this release of the API) a single
 * {@link InteractionChannel}. Its {@code channel} and {@code routing} are rendered as Flex renders them: the
 * channel as requested plus its {@code sid}, the routing as the task it created ({@code properties}).
 *
 * @see <a href="https://www.twilio.com/docs/flex/developer/conversations/interactions-api/interactions">Interactions resource</a>
 */
final class Interaction {

    final String sid = Sids.random("KD");
    final ObjectNode channelRequest;
    final String interactionContextSid;
    final String webhookTtid;
    InteractionChannel channel;

    Interaction(ObjectNode channelRequest, String interactionContextSid, String webhookTtid) {
        this.channelRequest = channelRequest;
        this.interactionContextSid = interactionContextSid;
        this.webhookTtid = webhookTtid;
    }

    String url() {
        return TwilioUrls.FLEX + "/v1/Interactions/" + sid;
    }

    /** The {@code flex.v1.interaction} resource; {@code routing} is the first task's, as the create answers it. */
    Map<String, Object> toResource(Map<String, Object> routing) {
        ObjectNode channelView = channelRequest.deepCopy();
        channelView.put("sid", channel.sid);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sid", sid);
        r.put("channel", channelView);
        r.put("routing", routing);
        r.put("interaction_context_sid", interactionContextSid);
        r.put("webhook_ttid", webhookTtid);
        r.put("url", url());
        r.put("links", Map.of("channels", url() + "/Channels"));
        return r;
    }
}
