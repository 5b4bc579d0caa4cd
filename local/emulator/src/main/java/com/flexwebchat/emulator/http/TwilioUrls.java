package com.flexwebchat.emulator.http;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Public Twilio URLs. Resources carry {@code url} and {@code links} pointing at the real API hosts
 * ({@code https://{sub}.twilio.com/...}), exactly as Twilio renders them, never at the emulator:
 * the emulator serves {@code https://{sub}.twilio.com{path}} under {@code {baseUrl}/{sub}{path}}.
 */
public final class TwilioUrls {

    public static final String CONVERSATIONS = host("conversations");
    public static final String CHAT = host("chat");
    public static final String FLEX = host("flex-api");
    public static final String TASKROUTER = host("taskrouter");

    private TwilioUrls() {
    }

    public static String host(String subdomain) {
        return "https://" + subdomain + ".twilio.com";
    }

    /** A URL Twilio can call back (webhooks, event callbacks): absolute, http or https, with a host. */
    public static boolean isAbsoluteHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
