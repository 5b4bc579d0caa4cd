package com.flexwebchat.shared.webhook;

import com.flexwebchat.shared.http.HttpResponse;

/** One webhook route's business, reached only after the request proved it comes from Twilio. */
@FunctionalInterface
public interface WebhookEndpoint {

    HttpResponse handle(WebhookRequest request);
}
