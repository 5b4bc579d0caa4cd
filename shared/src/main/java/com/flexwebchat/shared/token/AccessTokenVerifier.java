package com.flexwebchat.shared.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.token.TokenRefused.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;

/**
 * Accepts only tokens that {@link AccessTokenIssuer} would have minted with our configuration:
 * HS256 over the exact bytes received, signed with our API secret, issued by our API key for
 * our account, granting our chat service, and unexpired. Every claim is checked; the first
 * failure is the reason.
 */
public final class AccessTokenVerifier {

    /** Real tokens are well under 1 KB; anything far larger is not one of ours. */
    private static final int MAX_TOKEN_LENGTH = 4_096;
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final String accountSid;
    private final String apiKey;
    private final String chatServiceSid;
    private final HmacSha256 hmac;
    private final Clock clock;

    public AccessTokenVerifier(String accountSid, String apiKey, String apiSecret, String chatServiceSid, Clock clock) {
        this.accountSid = accountSid;
        this.apiKey = apiKey;
        this.chatServiceSid = chatServiceSid;
        this.hmac = new HmacSha256(apiSecret);
        this.clock = clock;
    }

    public static AccessTokenVerifier from(WebChatConfig config, Clock clock) {
        return new AccessTokenVerifier(config.accountSid(), config.apiKey(), config.apiSecret(),
                config.grantedChatServiceSid(), clock);
    }

    /** @return the identity the token was issued to */
    public String verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenRefused(Reason.MALFORMED);
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new TokenRefused(Reason.MALFORMED);
        }
        JsonNode header = decode(parts[0]);
        if (!"HS256".equals(header.path("alg").asText())) {
            throw new TokenRefused(Reason.UNSUPPORTED_ALGORITHM);
        }
        byte[] expected = hmac.sign(parts[0] + "." + parts[1]);
        byte[] presented = decodeBytes(parts[2]);
        if (!MessageDigest.isEqual(expected, presented)) {
            throw new TokenRefused(Reason.BAD_SIGNATURE);
        }
        JsonNode claims = decode(parts[1]);
        if (!apiKey.equals(claims.path("iss").asText())) {
            throw new TokenRefused(Reason.ANOTHER_API_KEY);
        }
        if (!accountSid.equals(claims.path("sub").asText())) {
            throw new TokenRefused(Reason.ANOTHER_ACCOUNT);
        }
        JsonNode grants = claims.path("grants");
        if (!chatServiceSid.equals(grants.path("chat").path("service_sid").asText())) {
            throw new TokenRefused(Reason.ANOTHER_SERVICE);
        }
        JsonNode identity = grants.path("identity");
        if (!identity.isTextual() || identity.asText().isBlank()) {
            throw new TokenRefused(Reason.NO_IDENTITY);
        }
        long now = clock.instant().getEpochSecond();
        JsonNode notBefore = claims.path("nbf");
        if (notBefore.isNumber() && notBefore.asLong() > now) {
            throw new TokenRefused(Reason.NOT_YET_VALID);
        }
        JsonNode expires = claims.path("exp");
        if (!expires.canConvertToLong() || expires.asLong() <= now) {
            throw new TokenRefused(Reason.EXPIRED);
        }
        return identity.asText();
    }

    private static JsonNode decode(String part) {
        try {
            JsonNode node = Json.parse(new String(decodeBytes(part), StandardCharsets.UTF_8));
            if (!node.isObject()) {
                throw new TokenRefused(Reason.MALFORMED);
            }
            return node;
        } catch (java.io.IOException e) {
            throw new TokenRefused(Reason.MALFORMED);
        }
    }

    private static byte[] decodeBytes(String part) {
        try {
            return BASE64URL.decode(part);
        } catch (IllegalArgumentException e) {
            throw new TokenRefused(Reason.MALFORMED);
        }
    }
}
