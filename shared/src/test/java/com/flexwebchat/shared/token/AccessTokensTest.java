package com.flexwebchat.shared.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.token.TokenRefused.Reason;
import com.twilio.jwt.accesstoken.AccessToken;
import com.twilio.jwt.accesstoken.ChatGrant;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

    static final String ACCOUNT = "AC" + "a".repeat(32);
    static final String KEY = "SK" + "b".repeat(32);
    static final String SECRET = "a-32-character-api-secret-value!";
    static final String SERVICE = "IS" + "c".repeat(32);
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    final AccessTokenIssuer issuer = new AccessTokenIssuer(ACCOUNT, KEY, SECRET, SERVICE, Duration.ofHours(1), CLOCK);
    final AccessTokenVerifier verifier = new AccessTokenVerifier(ACCOUNT, KEY, SECRET, SERVICE, CLOCK);

    static JsonNode part(String jwt, int index) throws Exception {
        return Json.parse(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
    }

    @Test
    void mintsTheTokenTwilioSdksMint() throws Exception {
        IssuedToken ours = issuer.issue("visitor-1");
        String sdk = new AccessToken.Builder(ACCOUNT, KEY, SECRET.getBytes(StandardCharsets.UTF_8))
                .identity("visitor-1").ttl(3600).grant(new ChatGrant().setServiceSid(SERVICE)).build().toJwt();

        assertEquals(part(sdk, 0), part(ours.jwt(), 0));
        JsonNode sdkClaims = part(sdk, 1);
        JsonNode ourClaims = part(ours.jwt(), 1);
        for (String claim : new String[] {"iss", "sub"}) {
            assertEquals(sdkClaims.get(claim), ourClaims.get(claim), claim);
        }
        assertEquals(sdkClaims.get("grants"), ourClaims.get("grants"));
        assertEquals(NOW.plusSeconds(3600), ours.expiresAt());
        assertEquals(KEY + "-" + NOW.getEpochSecond(), ourClaims.get("jti").asText());
    }

    @Test
    void tokenVerifiesWithAnIndependentJwtLibrary() throws Exception {
        String jwt = issuer.issue("visitor-1").jwt();
        // jjwt treats a JWS with a cty header (Twilio's "twilio-fpa;v=1") as signed content, not claims.
        byte[] payload = Jwts.parser()
                .verifyWith(Keys.hmacShaKeyFor(SECRET.getBytes(StandardCharsets.UTF_8)))
                .build().parseSignedContent(jwt).getPayload();
        JsonNode claims = Json.parse(new String(payload, StandardCharsets.UTF_8));

        assertEquals(KEY, claims.get("iss").asText());
        assertEquals(ACCOUNT, claims.get("sub").asText());
        assertEquals(Json.parse("{\"identity\":\"visitor-1\",\"chat\":{\"service_sid\":\"" + SERVICE + "\"}}"),
                claims.get("grants"));
    }

    @Test
    void acceptsItsOwnToken() {
        assertEquals("visitor-1", verifier.verify(issuer.issue("visitor-1").jwt()));
    }

    @Test
    void identityIsEscapedNotInjected() {
        String identity = "a\"b\\c\u2028";
        assertEquals(identity, verifier.verify(issuer.issue(identity).jwt()));
    }

    static Reason refusal(AccessTokenVerifier verifier, String jwt) {
        return assertThrows(TokenRefused.class, () -> verifier.verify(jwt)).reason();
    }

    @Test
    void refusesATamperedToken() throws Exception {
        String jwt = issuer.issue("visitor-1").jwt();
        String[] parts = jwt.split("\\.");
        ObjectNode claims = (ObjectNode) part(jwt, 1);
        ((ObjectNode) claims.get("grants")).put("identity", "someone-else");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertEquals(Reason.BAD_SIGNATURE, refusal(verifier, tampered));
    }

    @Test
    void refusesAnExpiredToken() {
        String jwt = issuer.issue("visitor-1").jwt();
        AccessTokenVerifier later = new AccessTokenVerifier(ACCOUNT, KEY, SECRET, SERVICE,
                Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC));
        assertEquals(Reason.EXPIRED, refusal(later, jwt));
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() {
        String jwt = new AccessTokenIssuer(ACCOUNT, KEY, "another-secret-of-32-characters!!", SERVICE, Duration.ofHours(1), CLOCK)
                .issue("visitor-1").jwt();
        assertEquals(Reason.BAD_SIGNATURE, refusal(verifier, jwt));
    }

    @Test
    void refusesATokenIssuedByAnotherKey() {
        String jwt = new AccessTokenIssuer(ACCOUNT, "SK" + "d".repeat(32), SECRET, SERVICE, Duration.ofHours(1), CLOCK)
                .issue("visitor-1").jwt();
        assertEquals(Reason.ANOTHER_API_KEY, refusal(verifier, jwt));
    }

    @Test
    void refusesATokenForAnotherAccount() {
        String jwt = new AccessTokenIssuer("AC" + "e".repeat(32), KEY, SECRET, SERVICE, Duration.ofHours(1), CLOCK)
                .issue("visitor-1").jwt();
        assertEquals(Reason.ANOTHER_ACCOUNT, refusal(verifier, jwt));
    }

    @Test
    void refusesATokenForAnotherChatService() {
        String jwt = new AccessTokenIssuer(ACCOUNT, KEY, SECRET, "IS" + "f".repeat(32), Duration.ofHours(1), CLOCK)
                .issue("visitor-1").jwt();
        assertEquals(Reason.ANOTHER_SERVICE, refusal(verifier, jwt));
    }

    /** What a function builds from its configuration checks the service that configuration grants. */
    @Test
    void theConfiguredVerifierRefusesATokenGrantingTheLegacyChatService() {
        WebChatConfig config = WebChatConfig.from(Map.of("ACCOUNT_SID", ACCOUNT, "AUTH_TOKEN", "auth-token-value",
                "API_KEY", KEY, "API_SECRET", SECRET, "ADDRESS_SID", "IG" + "2".repeat(32), "CONVERSATIONS_SERVICE_SID", SERVICE),
                arn -> {
                    throw new AssertionError("no secret is read here");
                });
        AccessTokenVerifier configured = AccessTokenVerifier.from(config, CLOCK);
        String legacyWidgetsToken = new AccessTokenIssuer(ACCOUNT, KEY, SECRET, "IS" + "5".repeat(32), Duration.ofHours(1), CLOCK)
                .issue("visitor-1").jwt();

        assertEquals(Reason.ANOTHER_SERVICE, refusal(configured, legacyWidgetsToken));
        assertEquals("visitor-1", configured.verify(AccessTokenIssuer.from(config, CLOCK).issue("visitor-1").jwt()));
    }

    @Test
    void refusesTheNoneAlgorithm() {
        String jwt = issuer.issue("visitor-1").jwt();
        String header = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(Reason.UNSUPPORTED_ALGORITHM, refusal(verifier, header + "." + jwt.split("\\.")[1] + "."));
    }

    @Test
    void refusesGarbage() {
        for (String garbage : new String[] {"", "abc", "a.b.c", "a.b", "x".repeat(5000), "e30.e30.e30.e30"}) {
            assertEquals(Reason.MALFORMED, refusal(verifier, garbage), garbage);
        }
    }
}
