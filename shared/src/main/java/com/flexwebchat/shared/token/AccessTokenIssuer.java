package com.flexwebchat.shared.token;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Mints Twilio access tokens for anonymous visitors: a JWT signed with the API key's secret,
 * carrying a Chat grant for the web chat's service, exactly the token twilio-java's AccessToken
 * and twilio-node's produce (https://www.twilio.com/docs/iam/access-tokens): header
 * {@code cty: twilio-fpa;v=1}, {@code iss} the API key, {@code sub} the account, {@code jti}
 * {@code <key>-<issued second>}, and {@code grants.identity} plus {@code grants.chat.service_sid}.
 */
public final class AccessTokenIssuer {

    static final String HEADER_JSON = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"cty\":\"twilio-fpa;v=1\"}";
    static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String ENCODED_HEADER = BASE64URL.encodeToString(HEADER_JSON.getBytes(StandardCharsets.UTF_8));

    private final String accountSid;
    private final String apiKey;
    private final String chatServiceSid;
    private final Duration ttl;
    private final HmacSha256 hmac;
    private final Clock clock;

    public AccessTokenIssuer(String accountSid, String apiKey, String apiSecret, String chatServiceSid,
                             Duration ttl, Clock clock) {
        this.accountSid = accountSid;
        this.apiKey = apiKey;
        this.chatServiceSid = chatServiceSid;
        this.ttl = ttl;
        this.hmac = new HmacSha256(apiSecret);
        this.clock = clock;
    }

    public static AccessTokenIssuer from(WebChatConfig config, Clock clock) {
        return new AccessTokenIssuer(config.accountSid(), config.apiKey(), config.apiSecret(),
                config.grantedChatServiceSid(), config.tokenTtl(), clock);
    }

    public IssuedToken issue(String identity) {
        Instant now = clock.instant();
        Instant expiresAt = now.plus(ttl);
        ObjectNode payload = Json.object();
        payload.put("jti", apiKey + "-" + now.getEpochSecond());
        payload.put("iss", apiKey);
        payload.put("sub", accountSid);
        payload.put("iat", now.getEpochSecond());
        payload.put("exp", expiresAt.getEpochSecond());
        ObjectNode grants = payload.putObject("grants");
        grants.put("identity", identity);
        grants.putObject("chat").put("service_sid", chatServiceSid);

        String signingInput = ENCODED_HEADER + "." + BASE64URL.encodeToString(
                Json.write(payload).getBytes(StandardCharsets.UTF_8));
        String jwt = signingInput + "." + BASE64URL.encodeToString(hmac.sign(signingInput));
        // The widget schedules its refresh from this; whole seconds, as in the token's exp claim.
        return new IssuedToken(jwt, identity, Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }
}
