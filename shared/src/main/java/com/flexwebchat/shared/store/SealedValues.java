package com.flexwebchat.shared.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the store keeps of a visitor's value that must be given back, not just recognised (the
 * identity a repeated submit gets its token for; {@link KeyedHash} is for everything else):
 * sealed with AES-256-GCM under a key derived from STORE_HASH_KEY, so the store holds nothing a
 * reader of the table could use, and a sealed value that was altered does not open.
 */
public final class SealedValues {

    static final String PREFIX = "sealed:";
    private static final String DERIVATION = "flex-webchat sealed values v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /** @param hashKey the store's hash key (STORE_HASH_KEY, or the one derived from API_SECRET) */
    public SealedValues(byte[] hashKey) {
        if (hashKey.length < 16) {
            throw new IllegalArgumentException("the hash key must have at least 16 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashKey, "HmacSHA256"));
            this.key = new SecretKeySpec(mac.doFinal(DERIVATION.getBytes(StandardCharsets.UTF_8)), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }

    /** {@code sealed:} and base64url of a fresh nonce and the ciphertext with its tag: a new text for every call. */
    public String seal(String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has AES/GCM", e);
        }
    }

    /** The value {@link #seal} sealed; empty for anything else: altered, sealed under another key, or not sealed at all. */
    public Optional<String> open(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(PREFIX.length()));
            if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            return Optional.of(new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
