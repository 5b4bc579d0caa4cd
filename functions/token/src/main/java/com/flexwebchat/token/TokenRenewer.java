package com.flexwebchat.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.AccessTokenVerifier;
import com.flexwebchat.shared.token.IssuedToken;
import com.flexwebchat.shared.token.TokenRefused;

/**
 * {@code POST /refreshToken}: a fresh token for the same identity, only for a token we issued
 * that is still valid, and only while the visitor's chat is open. The Express server checks the
 * signature alone, so a token leaked from an ended chat could be renewed forever; here it cannot.
 * Refusals all look the same to the caller (403); the reason is logged.
 */
public final class TokenRenewer {

    private final AccessTokenVerifier verifier;
    private final AccessTokenIssuer issuer;
    private final ChatPresence presence;

    public TokenRenewer(AccessTokenVerifier verifier, AccessTokenIssuer issuer, ChatPresence presence) {
        this.verifier = verifier;
        this.issuer = issuer;
        this.presence = presence;
    }

    /** For the SnapStart snapshot: mint and verify a token, and ask Twilio once about an identity no visitor has. */
    void prime() {
        verifier.verify(issuer.issue(Priming.IDENTITY).jwt());
        presence.hasOpenChat(Priming.IDENTITY);
    }

    public HttpResponse renew(HttpRequest request) {
        JsonNode token = request.jsonObject().path("token");
        if (!token.isTextual() || token.asText().isEmpty()) {
            throw ApiError.invalidField("token", "token must be the access token to renew");
        }
        String identity;
        try {
            identity = verifier.verify(token.asText());
            if (!presence.hasOpenChat(identity)) {
                throw new TokenRefused(TokenRefused.Reason.CHAT_ENDED);
            }
        } catch (TokenRefused e) {
            Log.warn("Token renewal refused", "reason", e.reason().name());
            throw ApiError.forbidden("token_refused", "This token cannot be renewed; start a new chat");
        }
        IssuedToken renewed = issuer.issue(identity);
        Log.info("Token renewed");

        ObjectNode body = Json.object();
        body.put("token", renewed.jwt());
        body.put("expiration", renewed.expiresAt().toEpochMilli());
        return HttpResponse.ok(body);
    }
}
