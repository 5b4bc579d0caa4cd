package com.flexwebchat.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebChatConfigTest {

    static final String ACCOUNT = "AC" + "0".repeat(32);
    static final String KEY = "SK" + "1".repeat(32);
    static final String ADDRESS = "IG" + "2".repeat(32);
    static final String SERVICE = "IS" + "3".repeat(32);

    static Map<String, String> expressEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("ACCOUNT_SID", ACCOUNT);
        env.put("AUTH_TOKEN", "auth-token-value");
        env.put("API_KEY", KEY);
        env.put("API_SECRET", "api-secret-value");
        env.put("ADDRESS_SID", ADDRESS);
        env.put("CONVERSATIONS_SERVICE_SID", SERVICE);
        env.put("ALLOWED_ORIGINS", "http://localhost:3000, https://shop.example/");
        return env;
    }

    static final SecretSource NO_SECRETS = arn -> {
        throw new AssertionError("no secret should be read");
    };

    @Test
    void readsTheExpressServersEnvKeys() {
        WebChatConfig config = WebChatConfig.from(expressEnv(), NO_SECRETS);

        assertEquals(ACCOUNT, config.accountSid());
        assertEquals("auth-token-value", config.authToken());
        assertEquals(KEY, config.apiKey());
        assertEquals(ADDRESS, config.addressSid());
        assertEquals(SERVICE, config.grantedChatServiceSid());
        assertEquals(Set.of("http://localhost:3000", "https://shop.example"), config.allowedOrigins());
        assertEquals(Duration.ofHours(1), config.tokenTtl());
        assertNull(config.twilioApiBaseUrl());
        assertFalse(config.legacy());
    }

    @Test
    void namesTheMissingKey() {
        for (String key : new String[] {"ACCOUNT_SID", "AUTH_TOKEN", "API_KEY", "API_SECRET", "CONVERSATIONS_SERVICE_SID"}) {
            Map<String, String> env = expressEnv();
            env.remove(key);
            ConfigException error = assertThrows(ConfigException.class, () -> WebChatConfig.from(env, NO_SECRETS));
            assertTrue(error.getMessage().startsWith(key + " is required"), error.getMessage());
        }
    }

    @Test
    void blankCountsAsMissing() {
        Map<String, String> env = expressEnv();
        env.put("API_KEY", "  ");
        assertTrue(assertThrows(ConfigException.class, () -> WebChatConfig.from(env, NO_SECRETS))
                .getMessage().startsWith("API_KEY is required"));
    }

    @Test
    void refusesMalformedSids() {
        Map<String, String> env = expressEnv();
        env.put("ADDRESS_SID", "CH" + "2".repeat(32));
        assertTrue(assertThrows(ConfigException.class, () -> WebChatConfig.from(env, NO_SECRETS))
                .getMessage().startsWith("ADDRESS_SID must be a Twilio SID starting with IG"));
    }

    @Test
    void needsAnAddressOrAFlexFlow() {
        Map<String, String> env = expressEnv();
        env.remove("ADDRESS_SID");
        assertTrue(assertThrows(ConfigException.class, () -> WebChatConfig.from(env, NO_SECRETS))
                .getMessage().startsWith("ADDRESS_SID is required"));
    }

    @Test
    void tokenTtlIsBoundedByTwiliosLimit() {
        Map<String, String> env = expressEnv();
        env.put("TOKEN_TTL_SECONDS", "600");
        assertEquals(Duration.ofMinutes(10), WebChatConfig.from(env, NO_SECRETS).tokenTtl());
        env.put("TOKEN_TTL_SECONDS", "86401");
        assertThrows(ConfigException.class, () -> WebChatConfig.from(env, NO_SECRETS));
        env.put("TOKEN_TTL_SECONDS", "an hour");
        assertThrows(ConfigException.class, () -> WebChatConfig.from(env, NO_SECRETS));
    }

    @Test
    void baseUrlOverrideMustBeHttp() {
        Map<String, String> env = expressEnv();
        env.put("TWILIO_API_BASE_URL", "http://127.0.0.1:4010/");
        assertEquals("http://127.0.0.1:4010", WebChatConfig.from(env, NO_SECRETS).twilioApiBaseUrl().toString());
        env.put("TWILIO_API_BASE_URL", "ftp://127.0.0.1");
        assertThrows(ConfigException.class, () -> WebChatConfig.from(env, NO_SECRETS));
    }

    @Test
    void emptyAllowedOriginsLoadsSoRequestsCanBeRefusedWithAClearMessage() {
        Map<String, String> env = expressEnv();
        env.remove("ALLOWED_ORIGINS");
        assertTrue(WebChatConfig.from(env, NO_SECRETS).allowedOrigins().isEmpty());
    }

    @Test
    void secretsComeFromSecretsManagerWhenAnArnIsGiven() {
        Map<String, String> env = expressEnv();
        env.remove("AUTH_TOKEN");
        env.remove("API_SECRET");
        String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:twilio-AbCdEf";
        env.put("TWILIO_SECRET_ARN", arn);

        WebChatConfig config = WebChatConfig.from(env, requested -> {
            assertEquals(arn, requested);
            return Map.of("AUTH_TOKEN", "from-secret-auth", "API_SECRET", "from-secret-api");
        });

        assertEquals("from-secret-auth", config.authToken());
        assertEquals("from-secret-api", config.apiSecret());
    }

    @Test
    void aSecretWithoutTheKeysIsNamed() {
        Map<String, String> env = expressEnv();
        env.put("TWILIO_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:twilio-AbCdEf");
        ConfigException error = assertThrows(ConfigException.class,
                () -> WebChatConfig.from(env, arn -> Map.of("AUTH_TOKEN", "x")));
        assertTrue(error.getMessage().startsWith("API_SECRET is required"), error.getMessage());
    }

    @Test
    void neverPrintsSecrets() {
        String text = WebChatConfig.from(expressEnv(), NO_SECRETS).toString();
        assertFalse(text.contains("auth-token-value"));
        assertFalse(text.contains("api-secret-value"));
    }
}
