package com.flexwebchat.shared.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256, the only algorithm Twilio access tokens use, straight from javax.crypto: signing a
 * token needs no JWT library, and not loading one (the SDK's jjwt) is a measurable part of a
 * Java cold start.
 */
final class HmacSha256 {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    HmacSha256(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    byte[] sign(String signingInput) {
        try {
            // A Mac is not thread-safe; a fresh instance per token is cheap once the provider is loaded.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
