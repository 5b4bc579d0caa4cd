package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The account's Conversations settings ({@code https://conversations.twilio.com/v1/Configuration}): the default
 * conversation service (here always Flex's, the only one), the default messaging service, and the default
 * inactive and closed timers, which new conversations of the default service get when they are created without
 * timers of their own. Callers hold the emulator's state lock.
 *
 * @see <a href="https://www.twilio.com/docs/conversations/api/configuration-resource">Configuration resource</a>
 */
final class ConversationsConfiguration {

    final String accountSid;
    final String defaultChatServiceSid;
    /** A new account's Conversations come with a messaging service; messaging services are not emulated. */
    String defaultMessagingServiceSid;
    /** As sent ({@code PT10M}), for the resource; {@code null} when unset. */
    String defaultInactiveTimerText;
    String defaultClosedTimerText;
    Duration defaultInactiveTimer;
    Duration defaultClosedTimer;

    ConversationsConfiguration(EmulatorAccount account) {
        this.accountSid = account.accountSid();
        this.defaultChatServiceSid = account.conversationsServiceSid();
        this.defaultMessagingServiceSid = Sids.derived("MG", account.accountSid() + "/conversations");
    }

    /** The inactive timer a new conversation of {@code serviceSid} gets when its creator gives none. */
    Duration inactiveTimerFor(String serviceSid, Duration requested) {
        return requested != null || !serviceSid.equals(defaultChatServiceSid) ? requested : defaultInactiveTimer;
    }

    /** The closed timer a new conversation of {@code serviceSid} gets when its creator gives none. */
    Duration closedTimerFor(String serviceSid, Duration requested) {
        return requested != null || !serviceSid.equals(defaultChatServiceSid) ? requested : defaultClosedTimer;
    }

    /** The {@code conversations.v1.configuration} resource. */
    Map<String, Object> toResource() {
        String url = TwilioUrls.CONVERSATIONS + "/v1/Configuration";
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("service", TwilioUrls.CONVERSATIONS + "/v1/Services/" + defaultChatServiceSid + "/Configuration");
        links.put("webhooks", url + "/Webhooks");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", accountSid);
        r.put("default_chat_service_sid", defaultChatServiceSid);
        r.put("default_messaging_service_sid", defaultMessagingServiceSid);
        r.put("default_inactive_timer", defaultInactiveTimerText);
        r.put("default_closed_timer", defaultClosedTimerText);
        r.put("url", url);
        r.put("links", links);
        return r;
    }
}
