package com.flexwebchat.shared.snapstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.twilio.TwilioUnavailable;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Twilio's answers for priming ({@code snapstart/twilio-recordings.json}): one per operation the
 * functions call, keyed {@code METHOD /{subdomain}{path}} with each SID in the path written as
 * {@code {XX}} (its two-letter prefix) and a user's identity as {@code {Identity}}, so one
 * recording answers whatever SIDs a run produces. Each answers the way the route's happy path
 * needs (an open chat with a form, an agent with a public name, a closed interaction). A test
 * checks every body against Twilio's OpenAPI specs. A request without a recording is refused as if
 * Twilio had not answered, and noted.
 */
final class TwilioRecordings {

    static final String RESOURCE = "snapstart/twilio-recordings.json";
    private static final Pattern SID = Pattern.compile("/([A-Z]{2})[0-9a-fA-F]{32}(?=/|$)");
    private static final Pattern USER = Pattern.compile("/Users/[^/]+");

    private final JsonNode recordings;
    private final List<String> unanswered = new ArrayList<>();

    private TwilioRecordings(JsonNode recordings) {
        this.recordings = recordings;
    }

    static TwilioRecordings load() {
        try (InputStream in = TwilioRecordings.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            return new TwilioRecordings(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    Response answer(Request request) {
        String key = key(request.getMethod().toString(), request.constructURL().toString());
        JsonNode recording = recordings.get(key);
        if (recording == null) {
            synchronized (unanswered) {
                unanswered.add(key);
            }
            throw new TwilioUnavailable("no recorded answer for " + key, null);
        }
        return new Response(Json.write(recording.get("body")), recording.path("status").asInt(200));
    }

    List<String> unanswered() {
        synchronized (unanswered) {
            return List.copyOf(unanswered);
        }
    }

    /** {@code https://conversations.twilio.com/v1/Services/IS.../Users/ada?x=1} gives {@code /conversations/v1/Services/{IS}/Users/{Identity}}. */
    static String key(String method, String url) {
        URI uri = URI.create(url);
        String subdomain = uri.getHost().substring(0, uri.getHost().indexOf('.'));
        String path = USER.matcher(uri.getRawPath()).replaceAll("/Users/{Identity}");
        return method + " /" + subdomain + SID.matcher(path).replaceAll("/{$1}");
    }
}
