package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.harness.SamTemplate;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSettingsTest {

    private static final String REAL_SID = "AC11112222333344445555666677778888";

    @Test
    void realAccountGoesToTwilioAndIsNeverPrintedWhole() {
        LocalSettings.Twilio twilio = LocalSettings.twilio(Map.of(
                "ACCOUNT_SID", REAL_SID, "AUTH_TOKEN", "tok-secret", "API_SECRET", "api-secret"), 0);
        assertNull(twilio.emulator());
        assertEquals("https://*.twilio.com (account AC…8888)", twilio.description());
        assertFalse(twilio.description().contains(REAL_SID));
        assertEquals(REAL_SID, twilio.settings().get("ACCOUNT_SID"));
        assertFalse(twilio.settings().containsKey("ALLOWED_ORIGINS"), "no default origins for a real account");
    }

    @Test
    void realAccountAtAnotherBaseUrl() {
        LocalSettings.Twilio twilio = LocalSettings.twilio(Map.of(
                "ACCOUNT_SID", REAL_SID, "TWILIO_API_BASE_URL", "http://127.0.0.1:9999"), 0);
        assertNull(twilio.emulator());
        assertEquals("http://127.0.0.1:9999 (account AC…8888)", twilio.description());
    }

    @Test
    void noAccountWithABaseUrlUsesTheEmulatorAccountThere() {
        LocalSettings.Twilio twilio = LocalSettings.twilio(Map.of(
                "ACCOUNT_SID", " ", "TWILIO_API_BASE_URL", "http://127.0.0.1:4010", "TWILIO_SECRET_ARN", "arn:x"), 0);
        assertNull(twilio.emulator(), "an emulator run elsewhere, none started here");
        EmulatorAccount account = EmulatorAccount.defaults();
        assertEquals(account.accountSid(), twilio.settings().get("ACCOUNT_SID"));
        assertEquals(account.apiSecret(), twilio.settings().get("API_SECRET"));
        assertEquals(account.addressSid(), twilio.settings().get("ADDRESS_SID"));
        assertEquals("http://127.0.0.1:4010", twilio.settings().get("TWILIO_API_BASE_URL"));
        assertEquals(LocalSettings.DEFAULT_LOCAL_ORIGIN, twilio.settings().get("ALLOWED_ORIGINS"));
        assertFalse(twilio.settings().containsKey("TWILIO_SECRET_ARN"));
        assertFalse(twilio.description().contains(account.authToken()) || twilio.description().contains(account.apiSecret()));
    }

    @Test
    void noAccountStartsAnEmulatorAndKeepsChosenOrigins() {
        LocalSettings.Twilio twilio = LocalSettings.twilio(Map.of("ALLOWED_ORIGINS", "https://shop.example.com",
                "FLEX_FLOW_SID", "FOabc"), 0);
        try {
            assertNotNull(twilio.emulator());
            assertEquals(twilio.emulator().baseUrl(), twilio.settings().get("TWILIO_API_BASE_URL"));
            assertEquals("https://shop.example.com", twilio.settings().get("ALLOWED_ORIGINS"));
            assertEquals(EmulatorAccount.defaults().flexFlowSid(), twilio.settings().get("FLEX_FLOW_SID"), "legacy mode kept");
            assertFalse(twilio.settings().containsKey("ADDRESS_SID"));
            assertTrue(twilio.description().startsWith("emulator at " + twilio.emulator().baseUrl()), twilio.description());
        } finally {
            twilio.emulator().close();
        }
    }

    @Test
    void functionEnvironmentLikeSamLocalEnvVars(@TempDir Path dir) {
        SamTemplate template = SamTemplate.parse("""
                Parameters:
                  AccountSid: {Type: String}
                  TokenTtlSeconds: {Type: Number, Default: 3600}
                  FlexFlowSid: {Type: String, Default: ""}
                Globals:
                  Function:
                    Timeout: 15
                    Environment:
                      Variables:
                        ACCOUNT_SID: !Ref AccountSid
                        TOKEN_TTL_SECONDS: !Ref TokenTtlSeconds
                        FLEX_FLOW_SID: !Ref FlexFlowSid
                        AUTH_TOKEN: !If [HasSecret, !Ref AWS::NoValue, ""]
                        JAVA_TOOL_OPTIONS: -XX:TieredStopAtLevel=1
                        STAGE: prod
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      MemorySize: 512
                      Events:
                        E: {Type: HttpApi, Properties: {Path: /x, Method: POST}}
                """, dir);
        Map<String, String> env = LocalSettings.functionEnvironment(template, template.function("Fn"), Map.of(
                "ACCOUNT_SID", "ACx", "AUTH_TOKEN", "t", "STAGE", "local", "TWILIO_API_BASE_URL", "http://127.0.0.1:1",
                "PATH", "/usr/bin"));
        assertEquals("ACx", env.get("ACCOUNT_SID"), "settings fill a !Ref");
        assertEquals("3600", env.get("TOKEN_TTL_SECONDS"), "else the parameter's default");
        assertEquals("", env.get("FLEX_FLOW_SID"));
        assertEquals("t", env.get("AUTH_TOKEN"), "other intrinsics only from the settings");
        assertEquals("-XX:TieredStopAtLevel=1", env.get("JAVA_TOOL_OPTIONS"), "literals kept");
        assertEquals("local", env.get("STAGE"), "settings override literals, as --env-vars does");
        assertEquals("http://127.0.0.1:1", env.get("TWILIO_API_BASE_URL"), "known config keys pass even undeclared");
        assertFalse(env.containsKey("PATH"), "nothing else of the process environment leaks in");
        assertEquals("Fn", env.get("AWS_LAMBDA_FUNCTION_NAME"));
        assertEquals("512", env.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
    }

    @Test
    void bodyEncodingFollowsHttpApi() {
        assertTrue(LocalApi.isTextContentType("application/json"));
        assertTrue(LocalApi.isTextContentType("Application/JSON; charset=utf-8"));
        assertTrue(LocalApi.isTextContentType("text/plain"));
        assertTrue(LocalApi.isTextContentType("application/xml"));
        assertFalse(LocalApi.isTextContentType(null));
        assertFalse(LocalApi.isTextContentType("application/x-www-form-urlencoded"));
        assertFalse(LocalApi.isTextContentType("application/octet-stream"));
    }
}
