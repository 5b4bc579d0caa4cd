package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.TwilioUrls;

/**
 * Which form of the Conversations API a request used: account level ({@code /v1/Conversations...}, acting on the
 * default conversation service) or service scoped ({@code /v1/Services/{ChatServiceSid}/Conversations...}).
 * The two render the same resources with different {@code url}s, and the service-scoped message and participant
 * schemas carry {@code chat_service_sid} where the account-level ones don't.
 */
record ConversationsScope(String serviceSid, boolean serviceScoped) {

    static ConversationsScope account(String defaultServiceSid) {
        return new ConversationsScope(defaultServiceSid, false);
    }

    static ConversationsScope service(String serviceSid) {
        return new ConversationsScope(serviceSid, true);
    }

    /** The URL prefix resources of this scope live under. */
    String base() {
        return serviceScoped
                ? TwilioUrls.CONVERSATIONS + "/v1/Services/" + serviceSid
                : TwilioUrls.CONVERSATIONS + "/v1";
    }
}
