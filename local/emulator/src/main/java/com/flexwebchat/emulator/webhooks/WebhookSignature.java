package com.flexwebchat.emulator.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Twilio's request signature, {@code X-Twilio-Signature}: the Base64 HMAC-SHA1, keyed with the auth token, of the
 * full URL followed by every POST parameter as name and value with no delimiters, "sorted by the parameter name
 * (using Unix-style case-sensitive sorting order)" (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 *
 * <p>The documentation says nothing of a name sent more than once (Conversations' own webhooks never repeat one,
 * but a form a test sends may). The helper libraries append it once per value, the values sorted: twilio-python's
 * {@code RequestValidator.compute_signature} ({@code for value in sorted(values): s += param_name + value}),
 * which this follows. twilio-node additionally drops duplicate values first ({@code new Set(paramValue)}); the
 * two agree unless the very same value is repeated.
 */
public final class WebhookSignature {

    private WebhookSignature() {
    }

    public static String compute(String authToken, String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(url);
        // String order is UTF-16 code-unit order, which is byte order for the ASCII names Twilio uses.
        new TreeMap<>(params).forEach((name, values) -> {
            List<String> sorted = new ArrayList<>(values);
            sorted.sort(null);
            sorted.forEach(value -> data.append(name).append(value));
        });
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }
}
