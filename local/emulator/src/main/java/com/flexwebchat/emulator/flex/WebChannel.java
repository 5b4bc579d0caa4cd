package com.flexwebchat.emulator.flex;

import com.flexwebchat.emulator.http.Timestamps;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A legacy Flex web channel: a Flex Flow's handle on a Programmable Chat channel (same {@code CH} SID). */
final class WebChannel {

    final String sid;
    final String accountSid;
    final String flexFlowSid;
    final Instant dateCreated;
    Instant dateUpdated;

    WebChannel(String channelSid, String accountSid, String flexFlowSid, Instant now) {
        this.sid = channelSid;
        this.accountSid = accountSid;
        this.flexFlowSid = flexFlowSid;
        this.dateCreated = now;
        this.dateUpdated = now;
    }

    /** The {@code flex.v1.web_channel} resource. */
    Map<String, Object> toResource() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", accountSid);
        r.put("flex_flow_sid", flexFlowSid);
        r.put("sid", sid);
        r.put("url", TwilioUrls.FLEX + "/v1/WebChannels/" + sid);
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateUpdated));
        return r;
    }
}
