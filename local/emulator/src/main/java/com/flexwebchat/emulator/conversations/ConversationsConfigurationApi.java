package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.ApiRequest;
import com.flexwebchat.emulator.http.ApiResponse;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.TwilioError;

import java.time.Duration;

/**
 * {@code GET}/{@code POST /v1/Configuration}: the account's Conversations settings ({@link ConversationsConfiguration}).
 * An update changes only the parameters it carries; an empty timer turns that default off. Timers have
 * Conversations' minimums ("Minimum value for this timer is 1 minute" / "... is 10 minutes"). Only conversations
 * created afterwards get the new defaults, as timers are set when a conversation starts.
 *
 * @see <a href="https://www.twilio.com/docs/conversations/api/configuration-resource">Configuration resource</a>
 */
final class ConversationsConfigurationApi {

    private final ConversationsConfiguration configuration;

    ConversationsConfigurationApi(ConversationsConfiguration configuration) {
        this.configuration = configuration;
    }

    void register(Router router) {
        router.add("GET", "/conversations/v1/Configuration", req -> ApiResponse.ok(configuration.toResource()));
        router.add("POST", "/conversations/v1/Configuration", this::update);
    }

    /** Validates every parameter first, so a bad one leaves the configuration as it was. */
    private ApiResponse update(ApiRequest req) {
        String chatService = req.form("DefaultChatServiceSid");
        if (chatService != null && !chatService.equals(configuration.defaultChatServiceSid)) {
            // The emulator has one conversation service; TODO(uncertain): Twilio's code for an unknown one.
            throw TwilioError.invalidParameter("DefaultChatServiceSid", "no conversation service " + chatService);
        }
        String messagingService = req.form("DefaultMessagingServiceSid");
        if (messagingService != null && !messagingService.matches("MG[0-9a-fA-F]{32}")) {
            throw TwilioError.invalidParameter("DefaultMessagingServiceSid", "not a messaging service SID: " + messagingService);
        }
        String inactiveText = req.form("DefaultInactiveTimer");
        String closedText = req.form("DefaultClosedTimer");
        Duration inactive = ConversationsApi.timer(inactiveText, "DefaultInactiveTimer", ConversationsApi.MIN_INACTIVE_TIMER);
        Duration closed = ConversationsApi.timer(closedText, "DefaultClosedTimer", ConversationsApi.MIN_CLOSED_TIMER);

        if (messagingService != null) {
            configuration.defaultMessagingServiceSid = messagingService;
        }
        if (inactiveText != null) {
            configuration.defaultInactiveTimer = inactive;
            configuration.defaultInactiveTimerText = inactiveText.isEmpty() ? null : inactiveText;
        }
        if (closedText != null) {
            configuration.defaultClosedTimer = closed;
            configuration.defaultClosedTimerText = closedText.isEmpty() ? null : closedText;
        }
        return ApiResponse.ok(configuration.toResource());
    }
}
