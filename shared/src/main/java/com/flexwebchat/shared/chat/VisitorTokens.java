package com.flexwebchat.shared.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.token.AccessTokenVerifier;
import com.flexwebchat.shared.token.TokenRefused;

/**
 * The visitor's access token in a browser route's body ({@code {"token": "..."}}), checked the one
 * way {@code /refreshToken} and {@code /endChat} both check it, before anything is asked of
 * Twilio: a missing or non-string token is 400 {@code invalid_field} (field {@code token}); a token
 * this backend did not issue, or that has expired, is 403 {@code token_refused}. Refusals all look
 * the same to the caller; the reason is logged, never the token.
 */
public final class VisitorTokens {

    public static final String REFUSED = "token_refused";

    private final AccessTokenVerifier verifier;

    public VisitorTokens(AccessTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * @param refusal what the caller reads on a 403, e.g. "This token cannot be renewed; start a new chat"
     * @return the identity the token was issued to
     */
    public String identity(HttpRequest request, String refusal) {
        JsonNode token = request.jsonObject().path("token");
        if (!token.isTextual() || token.asText().isEmpty()) {
            throw ApiError.invalidField("token", "token must be the visitor's access token");
        }
        try {
            return verifier.verify(token.asText());
        } catch (TokenRefused e) {
            throw refused(e.reason(), refusal);
        }
    }

    /** The 403 for a refusal found after the token checked out (for example {@link TokenRefused.Reason#CHAT_ENDED}), logged. */
    public ApiError refused(TokenRefused.Reason reason, String refusal) {
        Metrics.count(MetricName.TokensRefused);
        Log.warn("Token refused", "reason", reason.name());
        return ApiError.forbidden(REFUSED, refusal);
    }
}
