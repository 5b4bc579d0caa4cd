package com.flexwebchat.standins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CAPTCHA provider's siteverify endpoint on 127.0.0.1, answering as Cloudflare Turnstile, Google
 * reCAPTCHA and hCaptcha do: a form POST of {@code secret}, {@code response} and optionally
 * {@code remoteip}, answered {@code 200 {"success": ..., "error-codes": [...]}} (plus {@code score}
 * and {@code action} as reCAPTCHA v3 answers, {@code challenge_ts} and {@code hostname} as all do)
 * (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/,
 * https://developers.google.com/recaptcha/docs/v3, https://docs.hcaptcha.com/#verify-the-user-response-server-side).
 *
 * <p>Tokens it accepts: {@code ok:<score>:<anything>}, e.g. {@code ok:0.9:1}, each once; a second
 * verification of one is refused {@code timeout-or-duplicate}, as the providers refuse a token that
 * was verified before. Any other token is {@code invalid-input-response}; a wrong secret
 * {@code invalid-input-secret}; no token {@code missing-input-response}.
 */
public final class CaptchaProvider implements AutoCloseable {

    /** One siteverify call, as received. */
    public record Verification(String secret, String response, String remoteIp, boolean success) {
    }

    private static final Pattern TOKEN = Pattern.compile("ok:(\\d(?:\\.\\d+)?):.{1,200}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String secret;
    private final Set<String> spent = Collections.synchronizedSet(new HashSet<>());
    private final List<Verification> verifications = Collections.synchronizedList(new ArrayList<>());
    private volatile int failWithStatus;

    private CaptchaProvider(HttpServer server, String secret) {
        this.server = server;
        this.secret = secret;
    }

    /** @param port 0 for any free one */
    public static CaptchaProvider start(int port, String secret) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            CaptchaProvider provider = new CaptchaProvider(server, secret);
            server.createContext("/", provider::serve);
            server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "captcha-provider");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return provider;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The siteverify URL to give the functions (CAPTCHA_VERIFY_URL). */
    public String verifyUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/siteverify";
    }

    public String secret() {
        return secret;
    }

    /** Every verification so far. */
    public List<Verification> verifications() {
        synchronized (verifications) {
            return List.copyOf(verifications);
        }
    }

    /** From now on, answers every call with this HTTP status (0: answer normally again), as a provider having an outage. */
    public void failWith(int status) {
        this.failWithStatus = status;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (failWithStatus != 0) {
                exchange.sendResponseHeaders(failWithStatus, -1);
                return;
            }
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String token = form.get("response");
            ObjectNode answer = JSON.createObjectNode();
            List<String> errors = new ArrayList<>();
            double score = 0;
            if (!secret.equals(form.get("secret"))) {
                errors.add("invalid-input-secret");
            } else if (token == null || token.isEmpty()) {
                errors.add("missing-input-response");
            } else {
                Matcher ok = TOKEN.matcher(token);
                if (!ok.matches()) {
                    errors.add("invalid-input-response");
                } else if (!spent.add(token)) {
                    errors.add("timeout-or-duplicate");
                } else {
                    score = Double.parseDouble(ok.group(1));
                }
            }
            boolean success = errors.isEmpty();
            verifications.add(new Verification(form.get("secret"), token, form.get("remoteip"), success));
            answer.put("success", success);
            answer.set("error-codes", JSON.valueToTree(errors));
            if (success) {
                answer.put("challenge_ts", java.time.Instant.now().toString());
                answer.put("hostname", "localhost");
                answer.put("score", score);
                answer.put("action", "startChat");
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            form.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
