package com.flexwebchat.token;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.chat.VisitorTokens;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.IssuedToken;
import com.flexwebchat.shared.token.TokenRefused;

/**
 * {@code POST /refreshToken}: a fresh token for the same identity, only for a token we issued
 * that is still valid, and only while the visitor's chat is open. The Express server checks the
 * signature alone, so a token leaked from an ended chat could be renewed forever; here it cannot.
 * Refusals all look the same to the caller (403); the reason is logged.
 */
public final class TokenRenewer {

    static final String REFUSAL = "This token cannot be renewed; start a new chat";

    private final VisitorTokens tokens;
    private final AccessTokenIssuer issuer;
    private final WebChats chats;

    public TokenRenewer(VisitorTokens tokens, AccessTokenIssuer issuer, WebChats chats) {
        this.tokens = tokens;
        this.issuer = issuer;
        this.chats = chats;
    }

    public HttpResponse renew(HttpRequest request) {
        String identity = tokens.identity(request, REFUSAL);
        if (!chats.hasOpenChat(identity)) {
            throw tokens.refused(TokenRefused.Reason.CHAT_ENDED, REFUSAL);
        }
        IssuedToken renewed = issuer.issue(identity);
        Log.info("Token renewed");

        ObjectNode body = Json.object();
        body.put("token", renewed.jwt());
        body.put("expiration", renewed.expiresAt().toEpochMilli());
        return HttpResponse.ok(body);
    }
}
