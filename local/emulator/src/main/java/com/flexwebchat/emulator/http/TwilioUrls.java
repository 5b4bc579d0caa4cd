package com.flexwebchat.emulator.http;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Public Twilio URLs. Resources carry {@code url} and {@code links} pointing at the real API hosts
 * ({@code https://{sub}.twilio.com/...}), exactly as Twilio renders them, never at the emulator:
 * the emulator serves {@code https://{sub}.twilio.com{path}} under {@code {baseUrl}/{sub}{path}}. The subdomain is
 * the whole of the host before {@code .twilio.com}: the Media Content Service's {@code https://mcs.us1.twilio.com}
 * is served under {@code {baseUrl}/mcs.us1}, its media host {@code https://media.us1.twilio.com} under
 * {@code {baseUrl}/media.us1}.
 */
public final class TwilioUrls {

    public static final String CONVERSATIONS = host("conversations");
    public static final String CHAT = host("chat");
    public static final String FLEX = host("flex-api");
    public static final String TASKROUTER = host("taskrouter");
    /**
     * The Media Content Service (MCS), where Conversations keeps the files of media messages: "The base URL for
     * Media via the Media Content Service (MCS) is: https://mcs.us1.twilio.com/v1"
     * (https://www.twilio.com/docs/conversations/api/media-resource).
     */
    public static final String MCS_SUBDOMAIN = "mcs.us1";
    public static final String MCS = host(MCS_SUBDOMAIN);
    /**
     * Where a media file's pre-signed {@code links.content_direct_temporary} points: public clients of MCS read
     * {@code https://media.us1.twilio.com/...} there (the docs don't name the host).
     */
    public static final String MEDIA_SUBDOMAIN = "media.us1";
    public static final String MEDIA = host(MEDIA_SUBDOMAIN);

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
