package com.flexwebchat.shared.webhook;

import com.twilio.security.RequestValidator;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks {@code X-Twilio-Signature} with twilio-java's {@link RequestValidator}: HMAC-SHA1 with
 * AUTH_TOKEN over the URL Twilio called plus, for form bodies, every parameter sorted by name;
 * for JSON bodies over the URL alone, whose {@code bodySHA256} query parameter must be the
 * SHA-256 of the raw body (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
public final class TwilioSignature {

    /** Which check a request failed; logged, never shown to the caller. */
    public enum Failure { MISSING_SIGNATURE, SIGNATURE_MISMATCH, BODY_HASH_MISSING, BODY_HASH_MISMATCH, MALFORMED_BODY }

    private final RequestValidator validator;
    private final String authToken;

    public TwilioSignature(String authToken) {
        this.validator = new RequestValidator(authToken);
        this.authToken = authToken;
    }

    /**
     * The signature Twilio would send with a form POST of {@code params} to {@code url}: Base64
     * HMAC-SHA1 of the URL followed by each name and value, names sorted, a repeated name once per
     * value, its values sorted. {@link #checkForm} accepts it; the validator has no public way to
     * compute one.
     */
    public String sign(String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, values) -> values.stream().sorted().forEach(v -> data.append(name).append(v)));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA1", e);
        }
    }

    /** @return null when the form request is Twilio's, otherwise what failed */
    public Failure checkForm(String url, Map<String, List<String>> params, String signature) {
        if (signature == null || signature.isBlank()) {
            return Failure.MISSING_SIGNATURE;
        }
        return validator.validate(url, foldRepeatedKeys(params), signature) ? null : Failure.SIGNATURE_MISMATCH;
    }

    /** @return null when the JSON request is Twilio's, otherwise what failed */
    public Failure checkJson(String url, String body, String signature) {
        if (signature == null || signature.isBlank()) {
            return Failure.MISSING_SIGNATURE;
        }
        if (!url.contains("bodySHA256=")) {
            return Failure.BODY_HASH_MISSING;
        }
        if (!validator.validate(url, Map.of(), signature)) {
            return Failure.SIGNATURE_MISMATCH;
        }
        try {
            return validator.validate(url, body, signature) ? null : Failure.BODY_HASH_MISMATCH;
        } catch (URISyntaxException e) {
            return Failure.SIGNATURE_MISMATCH;
        }
    }

    /**
     * RequestValidator takes one value per key, while Twilio signs every value of a repeated key
     * (Conversations' {@code Filters}, for example), sorted, each as {@code key + value}. Since the
     * validator appends {@code key + value} for each key in order, the values {@code a, b} of key
     * {@code k} become the single value {@code a + k + b}: the validator then signs exactly
     * {@code k a k b}, Twilio's string, and the HMAC stays the SDK's.
     */
    static Map<String, String> foldRepeatedKeys(Map<String, List<String>> params) {
        Map<String, String> folded = new LinkedHashMap<>();
        params.forEach((key, values) -> {
            List<String> sorted = new ArrayList<>(values);
            sorted.sort(null);
            folded.put(key, String.join(key, sorted));
        });
        return folded;
    }
}
