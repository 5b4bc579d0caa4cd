package com.flexwebchat.shared.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The abuse protections' settings, read as every function reads its configuration at cold start. */
class ProtectionsTest {

    static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:flex-webchat/twilio-AbCdEf";

    static Protections read(String... keysAndValues) {
        Map<String, String> env = WebChatConfigTest.expressEnv();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return WebChatConfig.from(env, WebChatConfigTest.NO_SECRETS).protections();
    }

    static String refused(String... keysAndValues) {
        return assertThrows(ConfigException.class, () -> read(keysAndValues)).getMessage();
    }

    @Test
    void defaults() {
        Protections protections = read();

        assertNull(protections.storeTable(), "no store: the protections that need one are off");
        assertEquals(new Protections.Limit(6, Duration.ofHours(1)), protections.chatsPerIp());
        assertEquals(new Protections.Limit(60, Duration.ofMinutes(1)), protections.chatsPerAccount());
        assertEquals(new Protections.Limit(30, Duration.ofHours(1)), protections.renewalsPerIdentity());
        assertEquals(new Protections.Limit(10, Duration.ofHours(1)), protections.endingsPerIdentity());
        assertFalse(protections.trustXForwardedFor());
        assertEquals(Duration.ofSeconds(10), protections.duplicateSubmitWindow());
        assertEquals(Duration.ofSeconds(5), protections.blockListRefresh());
        assertNull(protections.captcha());
    }

    @Test
    void limitsAreCountSlashWindow() {
        Protections protections = read("STORE_TABLE", "flex-webchat-store", "RATE_LIMIT_CHATS_PER_IP", "5/PT1H",
                "RATE_LIMIT_CHATS_PER_ACCOUNT", " 100 / PT30S ", "RATE_LIMIT_RENEWALS_PER_VISITOR", "12",
                "RATE_LIMIT_ENDINGS_PER_VISITOR", "3/P1D");

        assertEquals("flex-webchat-store", protections.storeTable());
        assertEquals(new Protections.Limit(5, Duration.ofHours(1)), protections.chatsPerIp());
        assertEquals(new Protections.Limit(100, Duration.ofSeconds(30)), protections.chatsPerAccount());
        assertEquals(new Protections.Limit(12, Duration.ofMinutes(1)), protections.renewalsPerIdentity(), "a count alone is per minute");
        assertEquals(new Protections.Limit(3, Duration.ofDays(1)), protections.endingsPerIdentity());
        assertEquals("5/PT1H", protections.chatsPerIp().toString());
    }

    @Test
    void offOrZeroTurnsALimitOff() {
        Protections protections = read("RATE_LIMIT_CHATS_PER_IP", "off", "RATE_LIMIT_CHATS_PER_ACCOUNT", "OFF",
                "RATE_LIMIT_RENEWALS_PER_VISITOR", "0", "RATE_LIMIT_ENDINGS_PER_VISITOR", "");

        assertFalse(protections.chatsPerIp().on());
        assertFalse(protections.chatsPerAccount().on());
        assertFalse(protections.renewalsPerIdentity().on());
        assertEquals(Protections.DEFAULT_ENDINGS_PER_IDENTITY, protections.endingsPerIdentity(), "blank is unset");
        assertEquals("off", protections.chatsPerIp().toString());
    }

    @Test
    void aBadLimitNamesItsKey() {
        for (String key : new String[] {"RATE_LIMIT_CHATS_PER_IP", "RATE_LIMIT_CHATS_PER_ACCOUNT", "RATE_LIMIT_RENEWALS_PER_VISITOR",
                "RATE_LIMIT_ENDINGS_PER_VISITOR"}) {
            for (String bad : new String[] {"six", "6/1h", "6/PT1H/x", "-1/PT1H", "0/PT1H", "6/PT0.5S", "6/P8D", "6/PT-1H",
                    "99999999999/PT1H"}) {
                String message = refused(key, bad);
                assertTrue(message.startsWith(key + " must be"), bad + ": " + message);
                assertTrue(message.contains("'" + bad + "'"), message);
            }
        }
    }

    @Test
    void trustXForwardedForIsTrueOrFalse() {
        assertTrue(read("TRUST_X_FORWARDED_FOR", "true").trustXForwardedFor());
        assertTrue(read("TRUST_X_FORWARDED_FOR", "TRUE").trustXForwardedFor());
        assertFalse(read("TRUST_X_FORWARDED_FOR", "false").trustXForwardedFor());
        for (String bad : new String[] {"yes", "1", "on"}) {
            assertTrue(refused("TRUST_X_FORWARDED_FOR", bad).startsWith("TRUST_X_FORWARDED_FOR must be true or false"), bad);
        }
    }

    @Test
    void durationsAreIsoAndBounded() {
        Protections protections = read("DUPLICATE_SUBMIT_WINDOW", "PT30S", "BLOCK_LIST_REFRESH", "PT0S");
        assertEquals(Duration.ofSeconds(30), protections.duplicateSubmitWindow());
        assertEquals(Duration.ZERO, protections.blockListRefresh(), "every request reads the list");

        for (String[] bad : new String[][] {{"DUPLICATE_SUBMIT_WINDOW", "10s"}, {"DUPLICATE_SUBMIT_WINDOW", "PT0.5S"},
                {"DUPLICATE_SUBMIT_WINDOW", "PT6M"}, {"BLOCK_LIST_REFRESH", "PT-1S"}, {"BLOCK_LIST_REFRESH", "PT10M"},
                {"BLOCK_LIST_REFRESH", "5"}}) {
            String message = refused(bad[0], bad[1]);
            assertTrue(message.startsWith(bad[0] + " must be"), message);
            assertTrue(message.contains("'" + bad[1] + "'"), message);
        }
    }

    @Test
    void theHashKeyIsStoreHashKeyOrDerivedFromTheApiSecret() {
        Protections given = read("STORE_HASH_KEY", "a-store-hash-key-of-32-characters");
        assertArrayEquals("a-store-hash-key-of-32-characters".getBytes(StandardCharsets.UTF_8), given.hashKey());

        Protections derived = read();
        assertArrayEquals(Protections.derive("api-secret-value"), derived.hashKey());
        assertEquals(32, derived.hashKey().length);
        assertNotEquals("api-secret-value", new String(derived.hashKey(), StandardCharsets.ISO_8859_1),
                "the API secret itself is never the hash key");
        assertFalse(java.util.Arrays.equals(Protections.derive("api-secret-value"), Protections.derive("another-secret")));

        assertTrue(refused("STORE_HASH_KEY", "too-short").startsWith("STORE_HASH_KEY must have at least 16 characters"));
    }

    @Test
    void secretSettingsComeFromTheSecretWhenThereIsOne() {
        Map<String, String> env = WebChatConfigTest.expressEnv();
        env.remove("AUTH_TOKEN");
        env.remove("API_SECRET");
        env.put("TWILIO_SECRET_ARN", ARN);
        env.put("STORE_HASH_KEY", "from-the-environment-ignored!!");
        env.put("CAPTCHA_PROVIDER", "turnstile");
        env.put("CAPTCHA_SECRET", "from-the-environment-ignored");
        Map<String, String> secret = Map.of("AUTH_TOKEN", "t", "API_SECRET", "s", "STORE_HASH_KEY", "the-secrets-hash-key-value",
                "CAPTCHA_SECRET", "the-secrets-captcha-secret");

        Protections protections = WebChatConfig.from(env, arn -> secret).protections();

        assertArrayEquals("the-secrets-hash-key-value".getBytes(StandardCharsets.UTF_8), protections.hashKey());
        assertEquals("the-secrets-captcha-secret", protections.captcha().secret());
    }

    @Test
    void captchaSettings() {
        Protections.Captcha turnstile = read("CAPTCHA_PROVIDER", "turnstile", "CAPTCHA_SECRET", "s3cret").captcha();
        assertEquals(Protections.Captcha.Provider.TURNSTILE, turnstile.provider());
        assertEquals("captchaToken", turnstile.field());
        assertEquals(0.5, turnstile.minScore());
        assertEquals(URI.create("https://challenges.cloudflare.com/turnstile/v0/siteverify"), turnstile.verifyUrl());

        assertEquals(URI.create("https://www.google.com/recaptcha/api/siteverify"),
                read("CAPTCHA_PROVIDER", "ReCaptcha", "CAPTCHA_SECRET", "s").captcha().verifyUrl());
        assertEquals(URI.create("https://api.hcaptcha.com/siteverify"),
                read("CAPTCHA_PROVIDER", "hcaptcha", "CAPTCHA_SECRET", "s").captcha().verifyUrl());

        Protections.Captcha custom = read("CAPTCHA_PROVIDER", "recaptcha", "CAPTCHA_SECRET", "s", "CAPTCHA_FIELD", "cfToken",
                "CAPTCHA_MIN_SCORE", "0.7", "CAPTCHA_VERIFY_URL", "http://127.0.0.1:9/siteverify").captcha();
        assertEquals("cfToken", custom.field());
        assertEquals(0.7, custom.minScore());
        assertEquals(URI.create("http://127.0.0.1:9/siteverify"), custom.verifyUrl());

        assertNull(read("CAPTCHA_SECRET", "s").captcha(), "a secret alone turns nothing on");
    }

    @Test
    void badCaptchaSettingsNameTheirKey() {
        assertTrue(refused("CAPTCHA_PROVIDER", "friendlycaptcha", "CAPTCHA_SECRET", "s")
                .startsWith("CAPTCHA_PROVIDER must be turnstile, recaptcha or hcaptcha"));
        assertTrue(refused("CAPTCHA_PROVIDER", "turnstile").startsWith("CAPTCHA_SECRET is required with CAPTCHA_PROVIDER"));
        for (String bad : new String[] {"high", "-0.1", "1.5", "NaN", "Infinity"}) {
            assertTrue(refused("CAPTCHA_PROVIDER", "recaptcha", "CAPTCHA_SECRET", "s", "CAPTCHA_MIN_SCORE", bad)
                    .startsWith("CAPTCHA_MIN_SCORE must be a number from 0.0 to 1.0"), bad);
        }
        for (String bad : new String[] {"ftp://example.com/verify", "not a url", "https:///siteverify"}) {
            assertTrue(refused("CAPTCHA_PROVIDER", "turnstile", "CAPTCHA_SECRET", "s", "CAPTCHA_VERIFY_URL", bad)
                    .startsWith("CAPTCHA_VERIFY_URL"), bad);
        }
    }

    @Test
    void neitherTheHashKeyNorTheCaptchaSecretIsEverPrinted() {
        Protections protections = read("STORE_HASH_KEY", "the-store-hash-key-value", "CAPTCHA_PROVIDER", "turnstile",
                "CAPTCHA_SECRET", "the-captcha-secret-value");

        String printed = protections.toString();
        assertFalse(printed.contains("the-store-hash-key-value"), printed);
        assertFalse(printed.contains("the-captcha-secret-value"), printed);
        assertTrue(printed.contains("chatsPerIp=6/PT1H"), printed);
    }
}
