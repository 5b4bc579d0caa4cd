package com.flexwebchat.token;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.chat.VisitorTokens;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.invocation.Concurrently;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.protection.BlockList;
import com.flexwebchat.shared.protection.ClientAddress;
import com.flexwebchat.shared.protection.RateLimits;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.IssuedToken;
import com.flexwebchat.shared.token.TokenRefused;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /refreshToken}: a fresh token for the same identity, only for a token we issued
 * that is still valid, and only while the visitor's chat is open. The Express server checks the
 * signature alone, so a token leaked from an ended chat could be renewed forever; here it cannot.
 * A blocked visitor (address or identity) is refused 403 {@code blocked}, and renewals are counted
 * against RATE_LIMIT_RENEWALS_PER_VISITOR, before Twilio is asked.
 * Refusals all look the same to the caller (403); the reason is logged.
 */
public final class TokenRenewer {

    static final String REFUSAL = "This token cannot be renewed; start a new chat";

    private final VisitorTokens tokens;
    private final AccessTokenIssuer issuer;
    private final WebChats chats;
    private final BlockList blocks;
    private final RateLimits limits;
    private final Protections.Limit limit;
    private final ClientAddress clients;
    private final KeyedHash hashes;
    private final boolean hasStore;

    public TokenRenewer(WebChatRuntime runtime) {
        this.tokens = new VisitorTokens(runtime.tokenVerifier());
        this.issuer = runtime.tokenIssuer();
        this.chats = runtime.chats();
        this.blocks = runtime.blockList();
        this.limits = runtime.rateLimits();
        this.limit = runtime.config().protections().renewalsPerIdentity();
        this.clients = runtime.clientAddress();
        this.hashes = runtime.hashes();
        this.hasStore = runtime.store() != null;
    }

    public HttpResponse renew(HttpRequest request) {
        String identity = tokens.identity(request, REFUSAL);
        // The block list and the limit at once: when the instance's copy of the list is stale,
        // each is a store round trip. A blocked visitor's count is given back.
        AtomicReference<RateLimits.Counted> counted = new AtomicReference<>();
        Runnable blockList = () -> blocks.check(clients.of(request), null, identity);
        Runnable count = () -> counted.set(limits.count("renewals-per-visitor", limit,
                hashes.of(KeyedHash.Kind.IDENTITY, identity)));
        try {
            if (hasStore) {
                Concurrently.run(blockList, count);
            } else { // both answered without a round trip
                blockList.run();
                count.run();
            }
        } catch (ApiError e) {
            if (!"rate_limited".equals(e.code())) {
                limits.refund(counted.get());
            }
            throw e;
        }
        if (!chats.hasOpenChat(identity)) {
            throw tokens.refused(TokenRefused.Reason.CHAT_ENDED, REFUSAL);
        }
        IssuedToken renewed = issuer.issue(identity);
        Metrics.count(MetricName.TokensRenewed);
        Log.info("Token renewed");

        ObjectNode body = Json.object();
        body.put("token", renewed.jwt());
        body.put("expiration", renewed.expiresAt().toEpochMilli());
        return HttpResponse.ok(body);
    }
}
