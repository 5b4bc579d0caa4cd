package com.flexwebchat.emulator.mcs;

import com.flexwebchat.emulator.http.TwilioUrls;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A media file's {@code links.content_direct_temporary}: "temporary, time-limited" (the docs), fetched with a plain
 * GET and no credentials. Twilio's are pre-signed CDN URLs on its media host,
 * {@code https://media.us1.twilio.com/{MediaSid}?Expires={epoch seconds}&Signature=...&Key-Pair-Id=...}; the
 * emulator signs the same three parameters with a key of its own (HMAC-SHA256 of the SID and the expiry), and
 * serves the file at {@code {baseUrl}/media.us1/{MediaSid}} until the expiry passes on its clock. How long Twilio's
 * links live is undocumented; here {@link #LIFETIME}.
 */
final class TemporaryUrls {

    /** TODO(uncertain): Twilio documents no lifetime for the link; public clients fetch it right away. */
    static final Duration LIFETIME = Duration.ofMinutes(5);
    static final String KEY_PAIR_ID = "APKAEMULATORTWILIOMCS";

    private final Clock clock;
    private final byte[] key = new byte[32];

    TemporaryUrls(Clock clock) {
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    /** A link to {@code media}'s content that expires {@link #LIFETIME} from now. */
    String issue(Media media) {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        return TwilioUrls.MEDIA + "/" + media.sid + "?Expires=" + expires + "&Signature=" + sign(media.sid, expires)
                + "&Key-Pair-Id=" + KEY_PAIR_ID;
    }

    /** Why a request for {@code mediaSid} with these parameters is refused, or {@code null} when it is good. */
    String refusal(String mediaSid, String expires, String signature, String keyPairId) {
        if (expires == null || signature == null || keyPairId == null) {
            return "Missing Key-Pair-Id query parameter or cookie value";
        }
        long expiry;
        try {
            expiry = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return "Access denied";
        }
        if (!KEY_PAIR_ID.equals(keyPairId) || !MessageDigest.isEqual(sign(mediaSid, expiry).getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII))) {
            return "Access denied";
        }
        return clock.instant().getEpochSecond() >= expiry ? "Request has expired" : null;
    }

    private String sign(String mediaSid, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((mediaSid + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
