package com.flexwebchat.emulator;

/**
 * Public Twilio URLs. Resources carry {@code url} and {@code links} pointing at the real API hosts
 * ({@code https://{sub}.twilio.com/...}), exactly as Twilio renders them, never at the emulator:
 * the emulator serves {@code https://{sub}.twilio.com{path}} under {@code {baseUrl}/{sub}{path}}.
 */
final class TwilioUrls {

    static final String CONVERSATIONS = host("conversations");
    static final String CHAT = host("chat");
    static final String FLEX = host("flex-api");
    static final String TASKROUTER = host("taskrouter");

    private TwilioUrls() {
    }

    static String host(String subdomain) {
        return "https://" + subdomain + ".twilio.com";
    }
}
