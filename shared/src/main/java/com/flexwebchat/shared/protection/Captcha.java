package com.flexwebchat.shared.protection;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The server-side half of a CAPTCHA (optional; CAPTCHA_PROVIDER): the widget sends the token the
 * provider's script gave the visitor in a form field, and before anything is created at Twilio the
 * token goes to the provider's siteverify endpoint with the secret key and the visitor's address.
 * Turnstile, reCAPTCHA and hCaptcha take the same form ({@code secret}, {@code response},
 * {@code remoteip}) and answer {@code {"success": ..., "error-codes": [...]}}; reCAPTCHA v3 adds a
 * {@code score}. A token is valid once: the providers refuse a second verification
 * ({@code timeout-or-duplicate}), so a replayed token fails.
 *
 * <p>A missing, invalid, reused or low-scoring token is 403 {@code captcha_failed}. When the
 * provider cannot be reached in time the chat is refused too (502 {@code captcha_unavailable}):
 * a CAPTCHA that waves everyone through whenever it is slow protects nothing.
 */
public final class Captcha {

    /** The name the provider's time goes under in {@link UpstreamTime}. */
    public static final String UPSTREAM = "captcha";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    private final Protections.Captcha settings;
    private final HttpClient http;

    public Captcha(Protections.Captcha settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The formData field that carries the token, which must not reach Flex. */
    public String field() {
        return settings.field();
    }

    /**
     * @param token    the token from the form, or null
     * @param remoteIp the visitor's address, or null
     */
    public void verify(String token, String remoteIp) {
        if (token == null || token.isBlank() || token.length() > 4096) {
            throw refused("missing-input-response");
        }
        String form = Stream.of(field("secret", settings.secret()), field("response", token),
                        remoteIp == null ? null : field("remoteip", remoteIp))
                .filter(f -> f != null).collect(Collectors.joining("&"));
        Duration timeout = CALL_TIMEOUT;
        Deadline deadline = Deadline.current();
        if (deadline != null && deadline.remaining().compareTo(timeout) < 0) {
            timeout = deadline.remaining();
        }
        JsonNode answer;
        UpstreamTime time = UpstreamTime.current();
        if (time != null) {
            time.callStarted(UPSTREAM);
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(settings.verifyUrl())
                    .timeout(timeout.isNegative() ? Duration.ofMillis(1) : timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw unavailable("HTTP " + response.statusCode());
            }
            answer = Json.parse(response.body());
        } catch (IOException e) {
            throw unavailable(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        } finally {
            if (time != null) {
                time.callEnded(UPSTREAM);
            }
        }
        if (!answer.path("success").asBoolean(false)) {
            String[] codes = errorCodes(answer);
            if (Arrays.stream(codes).anyMatch(SECRET_REFUSED::contains)) {
                // Our configuration, not the visitor's token: every visitor would be refused.
                Log.error("CAPTCHA provider refused CAPTCHA_SECRET; check the secret (deployed: in TWILIO_SECRET_ARN's secret)",
                        "provider", settings.provider().name().toLowerCase(java.util.Locale.ROOT),
                        "reason", String.join(",", codes));
                throw ApiError.upstream(502, "captcha_unavailable", "The CAPTCHA check is not available right now; try again");
            }
            throw refused(String.join(",", codes));
        }
        if (settings.provider() == Protections.Captcha.Provider.RECAPTCHA
                && answer.path("score").asDouble(0) < settings.minScore()) {
            throw refused("score-below-" + settings.minScore());
        }
    }

    /**
     * The error codes with which Turnstile, reCAPTCHA and hCaptcha refuse the secret itself
     * (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/,
     * https://developers.google.com/recaptcha/docs/verify, https://docs.hcaptcha.com/#siteverify-error-codes-table).
     */
    static final Set<String> SECRET_REFUSED = Set.of("missing-input-secret", "invalid-input-secret", "sitekey-secret-mismatch");

    private static String[] errorCodes(JsonNode answer) {
        JsonNode codes = answer.path("error-codes");
        String[] out = new String[Math.max(1, codes.size())];
        out[0] = "no-error-code";
        for (int i = 0; i < codes.size(); i++) {
            String code = codes.get(i).asText("");
            out[i] = code.matches("[a-z0-9-]{1,64}") ? code : "unreadable";
        }
        return out;
    }

    private ApiError refused(String reason) {
        Metrics.count(MetricName.CaptchaFailures);
        Log.warn("CAPTCHA failed", "provider", settings.provider().name().toLowerCase(java.util.Locale.ROOT), "reason", reason);
        return ApiError.forbidden("captcha_failed", "The CAPTCHA check failed; try again");
    }

    private ApiError unavailable(String reason) {
        Log.error("CAPTCHA provider did not answer", "provider", settings.provider().name().toLowerCase(java.util.Locale.ROOT),
                "reason", reason);
        return ApiError.upstream(502, "captcha_unavailable", "The CAPTCHA check is not available right now; try again");
    }

    private static String field(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
