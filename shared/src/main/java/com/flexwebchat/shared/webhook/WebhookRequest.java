package com.flexwebchat.shared.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A Twilio webhook whose signature has been checked: its parameters, from a form body (Twilio's
 * usual encoding; repeated keys kept in order) or a JSON body (Studio's HTTP request widget can
 * send one).
 *
 * @param form             the decoded form parameters, empty for a JSON body
 * @param json             the JSON body, or null for a form body
 * @param idempotencyToken Twilio's {@code I-Twilio-Idempotency-Token}, the same for every delivery of one
 *                         event (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides), or null
 */
public record WebhookRequest(String path, Map<String, List<String>> form, JsonNode json, String requestId,
                             String idempotencyToken) {

    public WebhookRequest {
        form = Map.copyOf(form);
    }

    public WebhookRequest(String path, Map<String, List<String>> form, JsonNode json, String requestId) {
        this(path, form, json, requestId, null);
    }

    /** A parameter's (first) value, from the form or a top-level JSON field; null when absent or blank. */
    public String param(String name) {
        String value;
        if (json != null) {
            JsonNode node = json.get(name);
            value = node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
        } else {
            List<String> values = form.get(name);
            value = values == null || values.isEmpty() ? null : values.get(0);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
