package com.flexwebchat.shared.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the store and the logs keep of a visitor's IP address, email or identity: a keyed hash
 * (HMAC-SHA256 with STORE_HASH_KEY), never the value. The same value always gives the same hash,
 * so limits and blocks find it again; without the key nobody can tell what value a hash is of,
 * or test a guess. Values are put in one form first (an email in lower case, an address as the
 * JDK writes it), so {@code Ada@Example.com} and {@code ada@example.com} are one visitor.
 */
public final class KeyedHash {

    public enum Kind { IP, EMAIL, IDENTITY, SUBMIT }

    private final SecretKeySpec key;

    public KeyedHash(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the hash key must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** {@code ip:3q2-7w...}: the kind, then 43 characters of base64url. */
    public String of(Kind kind, String value) {
        String normalized = switch (kind) {
            case IP -> IpAddress.canonical(value);
            case EMAIL -> value.strip().toLowerCase(Locale.ROOT);
            case IDENTITY, SUBMIT -> value;
        };
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(kind.name().getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] digest = mac.doFinal(normalized.getBytes(StandardCharsets.UTF_8));
            return kind.name().toLowerCase(Locale.ROOT) + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }
}
