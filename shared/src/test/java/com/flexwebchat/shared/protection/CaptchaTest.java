package com.flexwebchat.shared.protection;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.standins.CaptchaProvider;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server-side CAPTCHA check against a siteverify stand-in that answers as Turnstile, reCAPTCHA and hCaptcha do. */
class CaptchaTest {

    static final String SECRET = "0x4AAAAAAA-the-site-secret";

    final CaptchaProvider provider = CaptchaProvider.start(0, SECRET);
    final LogCapture logs = new LogCapture();

    @AfterEach
    void stop() {
        logs.close();
        provider.close();
    }

    Captcha captcha(Protections.Captcha.Provider kind, String verifyUrl) {
        return new Captcha(new Protections.Captcha(kind, SECRET, "captchaToken", 0.5, URI.create(verifyUrl)));
    }

    Captcha turnstile() {
        return captcha(Protections.Captcha.Provider.TURNSTILE, provider.verifyUrl());
    }

    static ApiError refused(Runnable verify) {
        ApiError error = assertThrows(ApiError.class, verify::run);
        assertEquals(403, error.status());
        assertEquals("captcha_failed", error.code());
        return error;
    }

    JsonNode logged(String message) {
        return logs.lines().stream().filter(l -> l.path("message").asText().equals(message)).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no '" + message + "' in " + logs.text()));
    }

    @Test
    void aValidTokenPassesAndTheSecretAndTheVisitorsAddressReachTheProvider() {
        assertDoesNotThrow(() -> turnstile().verify("ok:0.9:first", "203.0.113.7"));

        List<CaptchaProvider.Verification> calls = provider.verifications();
        assertEquals(1, calls.size());
        assertEquals(SECRET, calls.get(0).secret());
        assertEquals("ok:0.9:first", calls.get(0).response());
        assertEquals("203.0.113.7", calls.get(0).remoteIp());
        assertTrue(calls.get(0).success());
    }

    @Test
    void withoutAnAddressNoneIsSent() {
        turnstile().verify("ok:0.9:no-address", null);

        assertNull(provider.verifications().get(0).remoteIp());
    }

    @Test
    void aTokenIsGoodOnceAReplayIsRefused() {
        Captcha captcha = turnstile();
        captcha.verify("ok:0.9:once", "203.0.113.7");

        refused(() -> captcha.verify("ok:0.9:once", "203.0.113.7"));

        assertEquals(2, provider.verifications().size());
        assertEquals("timeout-or-duplicate", logged("CAPTCHA failed").path("reason").asText());
        assertEquals("turnstile", logged("CAPTCHA failed").path("provider").asText());
    }

    @Test
    void anInvalidTokenIsRefused() {
        refused(() -> turnstile().verify("forged-token", "203.0.113.7"));

        assertFalse(provider.verifications().get(0).success());
        assertEquals("invalid-input-response", logged("CAPTCHA failed").path("reason").asText());
    }

    @Test
    void aMissingTokenIsRefusedWithoutAskingTheProvider() {
        Captcha captcha = turnstile();
        for (String missing : new String[] {null, "", "   "}) {
            refused(() -> captcha.verify(missing, "203.0.113.7"));
        }
        refused(() -> captcha.verify("ok:0.9:" + "x".repeat(4090), "203.0.113.7"));

        assertEquals(List.of(), provider.verifications());
        assertEquals("missing-input-response", logged("CAPTCHA failed").path("reason").asText());
    }

    @Test
    void reCaptchaRefusesAScoreBelowTheMinimum() {
        Captcha recaptcha = captcha(Protections.Captcha.Provider.RECAPTCHA, provider.verifyUrl());

        refused(() -> recaptcha.verify("ok:0.3:bot-like", "203.0.113.7"));
        assertEquals("score-below-0.5", logged("CAPTCHA failed").path("reason").asText());
        assertEquals("recaptcha", logged("CAPTCHA failed").path("provider").asText());

        assertDoesNotThrow(() -> recaptcha.verify("ok:0.5:at-the-minimum", "203.0.113.7"));
        assertDoesNotThrow(() -> recaptcha.verify("ok:0.9:human", "203.0.113.7"));
    }

    @Test
    void theMinimumIsTheSettings() {
        Captcha strict = new Captcha(new Protections.Captcha(Protections.Captcha.Provider.RECAPTCHA, SECRET, "captchaToken", 0.8,
                URI.create(provider.verifyUrl())));

        refused(() -> strict.verify("ok:0.7:middling", null));
        assertDoesNotThrow(() -> strict.verify("ok:0.8:enough", null));
    }

    @Test
    void turnstileAndHCaptchaHaveNoScoreToCheck() {
        assertDoesNotThrow(() -> turnstile().verify("ok:0.1:turnstile", null));
        assertDoesNotThrow(() -> captcha(Protections.Captcha.Provider.HCAPTCHA, provider.verifyUrl()).verify("ok:0.1:hcaptcha", null));
    }

    @Test
    void aProviderThatFailsIsA502NotAPass() {
        provider.failWith(503);

        ApiError error = assertThrows(ApiError.class, () -> turnstile().verify("ok:0.9:during-outage", "203.0.113.7"));

        assertEquals(502, error.status());
        assertEquals("captcha_unavailable", error.code());
        JsonNode line = logged("CAPTCHA provider did not answer");
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("HTTP 503", line.path("reason").asText());

        provider.failWith(0);
        assertDoesNotThrow(() -> turnstile().verify("ok:0.9:after-outage", "203.0.113.7"));
    }

    @Test
    void aProviderThatCannotBeReachedIsA502() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Captcha unreachable = captcha(Protections.Captcha.Provider.TURNSTILE, "http://127.0.0.1:" + closed + "/siteverify");

        ApiError error = assertThrows(ApiError.class, () -> unreachable.verify("ok:0.9:x", "203.0.113.7"));

        assertEquals(502, error.status());
        assertEquals("captcha_unavailable", error.code());
    }

    @Test
    void aProviderThatNeverAnswersIsCutOffByTheDeadline() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // read nothing, answer nothing
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Captcha captcha = captcha(Protections.Captcha.Provider.TURNSTILE, "http://127.0.0.1:" + silent.getLocalPort() + "/siteverify");

            long started = System.nanoTime();
            ApiError error = assertThrows(ApiError.class,
                    () -> Deadline.after(Duration.ofMillis(300)).run(() -> captcha.verify("ok:0.9:x", "203.0.113.7")));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(502, error.status());
            assertTrue(tookMillis < 1_000, "the 300 ms left, not the 3 s call timeout: took " + tookMillis + " ms");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void neitherTheSecretNorATokenIsLogged() {
        Captcha captcha = turnstile();
        captcha.verify("ok:0.9:secret-token-value", "203.0.113.7");
        refused(() -> captcha.verify("ok:0.9:secret-token-value", "203.0.113.7"));
        refused(() -> captcha.verify("forged-token-value", "203.0.113.7"));
        provider.failWith(500);
        assertThrows(ApiError.class, () -> captcha.verify("ok:0.9:another-token-value", "203.0.113.7"));

        for (String never : new String[] {SECRET, "secret-token-value", "forged-token-value", "another-token-value", "203.0.113.7"}) {
            assertFalse(logs.text().contains(never), never + " in " + logs.text());
        }
    }

    @Test
    void theFieldIsTheSettings() {
        assertEquals("captchaToken", turnstile().field());
    }

    // --- our secret refused: a misconfiguration, not the visitor's failure -------------------------------------

    /** The ERROR line that says the provider refused our secret. */
    JsonNode secretRefusedLine() {
        return logs.lines().stream().filter(l -> l.path("message").asText().contains("CAPTCHA_SECRET")).findFirst()
                .orElseThrow(() -> new AssertionError("no line naming CAPTCHA_SECRET in " + logs.text()));
    }

    static void assertUnavailable(ApiError error) {
        assertEquals(502, error.status(), "not the visitor's 403: every visitor would get it");
        assertEquals("captcha_unavailable", error.code());
    }

    @Test
    void aSecretTheProviderRefusesIsA502AndAnErrorThatNamesTheSettingButNotItsValue() {
        String anotherSitesSecret = "0x4AAAAAAA-another-sites-secret";
        Captcha misconfigured = new Captcha(new Protections.Captcha(Protections.Captcha.Provider.TURNSTILE, anotherSitesSecret,
                "captchaToken", 0.5, URI.create(provider.verifyUrl())));

        ApiError error = assertThrows(ApiError.class, () -> misconfigured.verify("ok:0.9:a-good-token", "203.0.113.7"));

        assertUnavailable(error);
        CaptchaProvider.Verification call = provider.verifications().get(0);
        assertEquals(anotherSitesSecret, call.secret());
        assertFalse(call.success());
        JsonNode line = secretRefusedLine();
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("invalid-input-secret", line.path("reason").asText());
        assertEquals("turnstile", line.path("provider").asText());
        assertFalse(logs.text().contains(anotherSitesSecret), logs.text());
        assertFalse(logs.text().contains(SECRET), logs.text());
        assertFalse(logs.text().contains("a-good-token"), logs.text());
        assertFalse(logs.text().contains("\"CAPTCHA failed\""), "not logged as a visitor's failed CAPTCHA: " + logs.text());

        // The provider refused the secret before it looked at the token: with ours, that token is still good.
        assertDoesNotThrow(() -> turnstile().verify("ok:0.9:a-good-token", "203.0.113.7"));
    }

    /**
     * Each provider's word for a refused secret (Turnstile and reCAPTCHA: missing- and
     * invalid-input-secret; hCaptcha also sitekey-secret-mismatch), from a siteverify that answers
     * only that, beside a token error as a provider may list both. The stand-in knows only
     * invalid-input-secret (a wrong secret), so this one answers as the providers' documents show.
     */
    @ParameterizedTest
    @ValueSource(strings = {"missing-input-secret", "invalid-input-secret", "sitekey-secret-mismatch"})
    void everyProvidersWordForARefusedSecretIsA502(String code) throws Exception {
        HttpServer siteverify = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] answer = ("{\"success\":false,\"error-codes\":[\"invalid-input-response\",\"" + code + "\"]}")
                .getBytes(StandardCharsets.UTF_8);
        siteverify.createContext("/siteverify", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        siteverify.start();
        try {
            Captcha hcaptcha = captcha(Protections.Captcha.Provider.HCAPTCHA,
                    "http://127.0.0.1:" + siteverify.getAddress().getPort() + "/siteverify");

            assertUnavailable(assertThrows(ApiError.class, () -> hcaptcha.verify("ok:0.9:x", "203.0.113.7")));

            assertEquals("invalid-input-response," + code, secretRefusedLine().path("reason").asText());
            assertEquals("hcaptcha", secretRefusedLine().path("provider").asText());
        } finally {
            siteverify.stop(0);
        }
    }

    @Test
    void aTokenErrorAloneIsStillTheVisitors403() {
        // invalid-input-response, timeout-or-duplicate, missing-input-response: none is about the secret.
        refused(() -> turnstile().verify("forged", null));
        refused(() -> turnstile().verify(null, null));
        turnstile().verify("ok:0.9:twice", null);
        refused(() -> turnstile().verify("ok:0.9:twice", null));

        assertFalse(logs.text().contains("CAPTCHA_SECRET"), logs.text());
    }
}
