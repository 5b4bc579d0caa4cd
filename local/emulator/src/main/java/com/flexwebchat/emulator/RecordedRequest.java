package com.flexwebchat.emulator;

import com.flexwebchat.emulator.http.FormCodec;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request the emulator answered, as seen on the wire.
 *
 * @param method       HTTP method, upper case
 * @param path         decoded path including the Twilio subdomain segment, e.g. {@code /conversations/v1/Conversations}
 * @param query        raw query string, or {@code null}
 * @param headers      request headers by lower-case name
 * @param form         decoded form parameters in the order sent
 * @param body         raw request body (empty when none), decoded as UTF-8
 * @param status       HTTP status answered
 * @param responseBody JSON answered (empty for 204); for an answer that is not Twilio's JSON (a media file, the
 *                     media host's refusal), its text, or nothing when it is binary
 * @param fault        what an injected {@link Fault} did to the exchange ({@link Fault#describe()}), or {@code null};
 *                     {@code status} and {@code responseBody} are then what the operation answered, whatever
 *                     reached the client (a cut body, nothing)
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              Map<String, List<String>> form, String body, int status, String responseBody,
                              String fault) {

    public RecordedRequest {
        headers = FormCodec.freeze(headers);
        form = FormCodec.freeze(form);
    }

    /** An exchange answered as it is, without an injected fault. */
    public RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                           Map<String, List<String>> form, String body, int status, String responseBody) {
        this(method, path, query, headers, form, body, status, responseBody, null);
    }

    /** The first value of a form parameter, or {@code null}. */
    public String formValue(String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a header (any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Decoded query parameters in order. */
    public Map<String, List<String>> queryParams() {
        return FormCodec.freeze(FormCodec.decode(query));
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status + (fault == null ? "" : " (" + fault + ")");
    }
}
