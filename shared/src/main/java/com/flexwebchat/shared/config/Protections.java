package com.flexwebchat.shared.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The settings of the abuse protections.
 *
 * @param storeTable            STORE_TABLE, the DynamoDB table of shared state (the stack sets it); null turns
 *                              off every protection that needs it (limits, the block list, one chat per
 *                              submit, exactly-once webhook effects)
 * @param hashKey               the key of the store's and logs' keyed hashes: STORE_HASH_KEY (in the secret
 *                              when deployed), else derived from API_SECRET
 * @param chatsPerIp            RATE_LIMIT_CHATS_PER_IP, default 6 per hour
 * @param chatsPerAccount       RATE_LIMIT_CHATS_PER_ACCOUNT, default 60 per minute, all visitors together
 * @param renewalsPerIdentity   RATE_LIMIT_RENEWALS_PER_VISITOR, default 30 per hour
 * @param endingsPerIdentity    RATE_LIMIT_ENDINGS_PER_VISITOR, default 10 per hour
 * @param trustXForwardedFor    TRUST_X_FORWARDED_FOR: behind CloudFront, the client is the last address of
 *                              X-Forwarded-For rather than API Gateway's sourceIp; default false
 * @param duplicateSubmitWindow DUPLICATE_SUBMIT_WINDOW: how long a second identical submit gets the first's chat, default 10 s
 * @param blockListRefresh      BLOCK_LIST_REFRESH: how old an instance's copy of the block list may get, default 5 s
 * @param captcha               the CAPTCHA check, or null when CAPTCHA_PROVIDER is unset
 */
public record Protections(String storeTable, byte[] hashKey, Limit chatsPerIp, Limit chatsPerAccount,
                          Limit renewalsPerIdentity, Limit endingsPerIdentity, boolean trustXForwardedFor,
                          Duration duplicateSubmitWindow, Duration blockListRefresh, Captcha captcha) {

    /** At most {@code count} in each {@code window}; a count of 0 is no limit. */
    public record Limit(int count, Duration window) {

        public static final Limit OFF = new Limit(0, Duration.ofMinutes(1));

        public boolean on() {
            return count > 0;
        }

        /** {@code 6/PT1H} style, as the settings are written. */
        @Override
        public String toString() {
            return on() ? count + "/" + window : "off";
        }
    }

    /**
     * A CAPTCHA provider's server-side check.
     *
     * @param secret    CAPTCHA_SECRET (in the secret when deployed)
     * @param field     CAPTCHA_FIELD: the formData field the widget puts the token in, default {@code captchaToken}
     * @param minScore  CAPTCHA_MIN_SCORE: reCAPTCHA v3's least acceptable score, default 0.5
     * @param verifyUrl CAPTCHA_VERIFY_URL, else the provider's own siteverify URL
     */
    public record Captcha(Provider provider, String secret, String field, double minScore, URI verifyUrl) {

        public enum Provider {
            /** Cloudflare Turnstile (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/). */
            TURNSTILE("https://challenges.cloudflare.com/turnstile/v0/siteverify"),
            /** Google reCAPTCHA v3 (https://developers.google.com/recaptcha/docs/verify). */
            RECAPTCHA("https://www.google.com/recaptcha/api/siteverify"),
            /** hCaptcha (https://docs.hcaptcha.com/#verify-the-user-response-server-side). */
            HCAPTCHA("https://api.hcaptcha.com/siteverify");

            final String verifyUrl;

            Provider(String verifyUrl) {
                this.verifyUrl = verifyUrl;
            }
        }

        @Override
        public String toString() {
            return "Captcha[" + provider + ", field=" + field + ", minScore=" + minScore + ", verifyUrl=" + verifyUrl + "]";
        }
    }

    public static final Limit DEFAULT_CHATS_PER_IP = new Limit(6, Duration.ofHours(1));
    public static final Limit DEFAULT_CHATS_PER_ACCOUNT = new Limit(60, Duration.ofMinutes(1));
    public static final Limit DEFAULT_RENEWALS_PER_IDENTITY = new Limit(30, Duration.ofHours(1));
    public static final Limit DEFAULT_ENDINGS_PER_IDENTITY = new Limit(10, Duration.ofHours(1));
    static final String HASH_KEY_DERIVATION = "flex-webchat store hash key v1";

    /**
     * @param settings   the environment's settings (blank is unset)
     * @param secrets    where secret settings come from: the Secrets Manager secret when deployed, else the environment
     * @param apiSecret  API_SECRET, from which the hash key is derived when STORE_HASH_KEY is not given
     */
    static Protections from(Function<String, String> settings, Function<String, String> secrets, String apiSecret) {
        return new Protections(
                settings.apply("STORE_TABLE"),
                hashKey(secrets.apply("STORE_HASH_KEY"), apiSecret),
                limit(settings, "RATE_LIMIT_CHATS_PER_IP", DEFAULT_CHATS_PER_IP),
                limit(settings, "RATE_LIMIT_CHATS_PER_ACCOUNT", DEFAULT_CHATS_PER_ACCOUNT),
                limit(settings, "RATE_LIMIT_RENEWALS_PER_VISITOR", DEFAULT_RENEWALS_PER_IDENTITY),
                limit(settings, "RATE_LIMIT_ENDINGS_PER_VISITOR", DEFAULT_ENDINGS_PER_IDENTITY),
                flag(settings, "TRUST_X_FORWARDED_FOR"),
                duration(settings, "DUPLICATE_SUBMIT_WINDOW", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMinutes(5)),
                duration(settings, "BLOCK_LIST_REFRESH", Duration.ofSeconds(5), Duration.ZERO, Duration.ofMinutes(5)),
                captcha(settings, secrets));
    }

    /**
     * The key of the store's keyed hashes, as the functions make it: STORE_HASH_KEY when given, else
     * one derived from API_SECRET. The block command uses it too, so its hashes match the functions'.
     *
     * @param storeHashKey STORE_HASH_KEY, or null
     */
    public static byte[] hashKey(String storeHashKey, String apiSecret) {
        if (storeHashKey == null) {
            return derive(apiSecret);
        }
        if (storeHashKey.length() < 16) {
            throw new ConfigException("STORE_HASH_KEY must have at least 16 characters (32 random ones are best)");
        }
        return storeHashKey.getBytes(StandardCharsets.UTF_8);
    }

    /** The store's key when none is given: a key of its own, derived from API_SECRET, so the secret itself is never a hash key. */
    static byte[] derive(String apiSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(apiSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(HASH_KEY_DERIVATION.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has HmacSHA256", e);
        }
    }

    /** {@code 6/PT1H}: at most 6 each hour; {@code off} (or {@code 0}) for none. */
    static Limit limit(Function<String, String> settings, String key, Limit defaultLimit) {
        String value = settings.apply(key);
        if (value == null) {
            return defaultLimit;
        }
        if (value.equalsIgnoreCase("off") || value.equals("0")) {
            return Limit.OFF;
        }
        String[] parts = value.split("/", 2);
        try {
            int count = Integer.parseInt(parts[0].strip());
            Duration window = parts.length == 2 ? Duration.parse(parts[1].strip()) : Duration.ofMinutes(1);
            if (count < 1 || window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofDays(7)) > 0) {
                throw new ConfigException(key + " must be a count of at least 1 and a window of 1 s to 7 days, got '" + value + "'");
            }
            return new Limit(count, window);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new ConfigException(key + " must be COUNT/ISO-8601-DURATION such as 6/PT1H, or off; got '" + value + "'");
        }
    }

    private static boolean flag(Function<String, String> settings, String key) {
        String value = settings.apply(key);
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new ConfigException(key + " must be true or false, got '" + value + "'");
    }

    private static Duration duration(Function<String, String> settings, String key, Duration defaultValue, Duration min,
                                     Duration max) {
        String value = settings.apply(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            Duration duration = Duration.parse(value);
            if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
                throw new ConfigException(key + " must be from " + min + " to " + max + ", got '" + value + "'");
            }
            return duration;
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + " must be an ISO-8601 duration such as PT10S, got '" + value + "'");
        }
    }

    private static Captcha captcha(Function<String, String> settings, Function<String, String> secrets) {
        String provider = settings.apply("CAPTCHA_PROVIDER");
        if (provider == null) {
            return null;
        }
        Captcha.Provider chosen;
        try {
            chosen = Captcha.Provider.valueOf(provider.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("CAPTCHA_PROVIDER must be turnstile, recaptcha or hcaptcha, got '" + provider + "'");
        }
        String secret = secrets.apply("CAPTCHA_SECRET");
        if (secret == null) {
            throw new ConfigException("CAPTCHA_SECRET is required with CAPTCHA_PROVIDER: the provider's secret key"
                    + " (deployed: a key of the secret named by TWILIO_SECRET_ARN)");
        }
        String field = settings.apply("CAPTCHA_FIELD");
        String minScore = settings.apply("CAPTCHA_MIN_SCORE");
        double score;
        try {
            score = minScore == null ? 0.5 : Double.parseDouble(minScore);
        } catch (NumberFormatException e) {
            score = -1;
        }
        if (!(score >= 0 && score <= 1)) { // so NaN, which no comparison holds for, is refused too
            throw new ConfigException("CAPTCHA_MIN_SCORE must be a number from 0.0 to 1.0, got '" + minScore + "'");
        }
        String verifyUrl = settings.apply("CAPTCHA_VERIFY_URL");
        URI url;
        try {
            url = URI.create(verifyUrl == null ? chosen.verifyUrl : verifyUrl);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("CAPTCHA_VERIFY_URL is not a URL: " + verifyUrl);
        }
        if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
            throw new ConfigException("CAPTCHA_VERIFY_URL must be an http(s) URL, got '" + verifyUrl + "'");
        }
        return new Captcha(chosen, secret, field == null ? "captchaToken" : field, score, url);
    }

    /** Never print the key or the CAPTCHA secret. */
    @Override
    public String toString() {
        return "Protections[storeTable=" + storeTable + ", chatsPerIp=" + chatsPerIp + ", chatsPerAccount=" + chatsPerAccount
                + ", renewalsPerIdentity=" + renewalsPerIdentity + ", endingsPerIdentity=" + endingsPerIdentity
                + ", trustXForwardedFor=" + trustXForwardedFor + ", duplicateSubmitWindow=" + duplicateSubmitWindow
                + ", blockListRefresh=" + blockListRefresh + ", captcha=" + captcha + "]";
    }
}
