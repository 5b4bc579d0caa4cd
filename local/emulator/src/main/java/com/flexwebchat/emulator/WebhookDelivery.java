package com.flexwebchat.emulator;

import com.flexwebchat.emulator.http.FormCodec;

import java.util.List;
import java.util.Map;

/**
 * One webhook request the emulator sent, and how it was answered.
 *
 * @param url          the URL requested, as configured (a GET request carries the parameters in its query besides)
 * @param params       the parameters sent, in the order sent
 * @param status       the HTTP status answered, or 0 when there was no answer (timeout, connection refused, ...)
 * @param responseBody the body answered (empty when none)
 * @param method       {@code POST} or {@code GET}
 * @param headers      the Twilio headers sent: {@code X-Twilio-Signature} and {@code I-Twilio-Idempotency-Token}
 * @param error        why there was no answer, or {@code null}
 */
public record WebhookDelivery(String url, Map<String, List<String>> params, int status, String responseBody,
                              String method, Map<String, String> headers, String error) {

    public WebhookDelivery {
        params = FormCodec.freeze(params);
        headers = Map.copyOf(headers);
    }

    /** The first value of a parameter, or {@code null}. */
    public String param(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** {@code EventType} of a Conversations webhook ({@code onMessageAdded}) or TaskRouter event ({@code task.wrapup}). */
    public String eventType() {
        return param("EventType");
    }

    /** The {@code X-Twilio-Signature} sent. */
    public String signature() {
        return headers.get("X-Twilio-Signature");
    }

    /** Whether the receiver answered 2xx. */
    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
