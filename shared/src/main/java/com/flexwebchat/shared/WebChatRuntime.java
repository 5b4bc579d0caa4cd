package com.flexwebchat.shared;

import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.http.ApiGatewayAdapter;
import com.flexwebchat.shared.http.OriginPolicy;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.AccessTokenVerifier;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.flexwebchat.shared.webhook.TwilioSignature;
import com.flexwebchat.shared.webhook.WebhookAdapter;
import java.time.Clock;

/**
 * What every function is built from, once per cold start: the validated configuration, the
 * Twilio gateway, the token issuer and verifier, and the HTTP adapter. Handlers take one in their
 * constructor, so tests hand in a runtime pointed at the emulator, with their own clock.
 */
public record WebChatRuntime(WebChatConfig config, TwilioGateway twilio, Clock clock) {

    public static WebChatRuntime fromEnvironment() {
        return create(WebChatConfig.fromEnvironment(), Clock.systemUTC());
    }

    public static WebChatRuntime create(WebChatConfig config, Clock clock) {
        return new WebChatRuntime(config, TwilioGateway.connect(config), clock);
    }

    public AccessTokenIssuer tokenIssuer() {
        return AccessTokenIssuer.from(config, clock);
    }

    public AccessTokenVerifier tokenVerifier() {
        return AccessTokenVerifier.from(config, clock);
    }

    /** An allowed origin for priming requests, or null when none is configured. */
    public String anyAllowedOrigin() {
        return config.allowedOrigins().stream().sorted().findFirst().orElse(null);
    }

    /**
     * The adapter for routes only Twilio calls: signature-checked with AUTH_TOKEN.
     *
     * @param budget the caller's webhook timeout less a margin
     */
    public WebhookAdapter webhookAdapter(java.time.Duration budget) {
        return new WebhookAdapter(new TwilioSignature(config.authToken()), config.publicBaseUrl(), budget);
    }

    /** The adapter for routes the widget calls from the browser: origin-checked, CORS-answered. */
    public ApiGatewayAdapter browserAdapter() {
        return new ApiGatewayAdapter(new OriginPolicy(config.allowedOrigins()));
    }
}
