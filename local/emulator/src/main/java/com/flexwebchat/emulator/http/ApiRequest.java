package com.flexwebchat.emulator.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A routed request as operations see it: path parameters by their spec names (e.g. {@code ConversationSid}),
 * decoded query and form parameters, lower-case header names, and the body as it came (for operations that take
 * a file rather than a form, such as a media upload).
 */
public record ApiRequest(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
                  Map<String, List<String>> form, Map<String, List<String>> headers, byte[] body) {

    /** The path as Twilio reports it in errors, without the subdomain segment: {@code /v1/Conversations/CH...}. */
    public String resource() {
        return Router.withoutSubdomain(path);
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** The first value of a form parameter, or {@code null} when absent. */
    public String form(String name) {
        return first(form, name);
    }

    public boolean hasForm(String name) {
        return form.containsKey(name);
    }

    /** A required form parameter; Twilio answers 400 / 20001 when it is missing or empty. */
    public String requiredForm(String name) {
        String value = form(name);
        if (value == null || value.isEmpty()) {
            throw TwilioError.missingParameter(name);
        }
        return value;
    }

    public String query(String name) {
        return first(query, name);
    }

    public List<String> queryValues(String name) {
        return query.getOrDefault(name, List.of());
    }

    public String header(String name) {
        return first(headers, name.toLowerCase(Locale.ROOT));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
