package com.flexwebchat.emulator.webhooks;

import java.util.List;

/**
 * Where a Conversations service (or, as the fallback, the account) sends its webhooks: a pre-event URL, a
 * post-event URL, the HTTP method, and the filters naming the events that fire ("Events not configured here will
 * not fire"). The account-level configuration also has a target: {@code webhook}, or {@code flex}, which routes
 * events inside Flex instead of to a URL.
 *
 * @see <a href="https://www.twilio.com/docs/conversations/api/per-service-webhook-resource">Per-Service Webhook</a>
 * @see <a href="https://www.twilio.com/docs/conversations/api/webhook-configuration-resource">Webhook Configuration</a>
 */
final class WebhookConfiguration {

    String preWebhookUrl;
    String postWebhookUrl;
    String method = "POST";
    List<String> filters = List.of();
    String target = "webhook";

    /** Whether any URL is set: only then does this configuration send (or shadow the account's). */
    boolean hasUrl() {
        return preWebhookUrl != null || postWebhookUrl != null;
    }

    boolean fires(String eventType) {
        return filters.contains(eventType);
    }
}
