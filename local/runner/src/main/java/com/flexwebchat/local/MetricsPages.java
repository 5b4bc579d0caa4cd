package com.flexwebchat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local gateway's own pages of what the functions measured ({@link LocalMetrics}), and the index of its pages;
 * never a function's route:
 * <ul>
 *   <li>{@code GET /_local/}: links to the metrics and the captured email ({@link MailPages});</li>
 *   <li>{@code GET /_local/metrics}: live charts drawn by {@code /_local/metrics.js} (plain JavaScript, inline SVG, no
 *       library), which reads {@code /_local/metrics.json} every 2 s; the page itself carries a summary of the
 *       totals since start, so it says something even without script;</li>
 *   <li>{@code GET /_local/metrics.json}: {@link LocalMetrics#snapshot}.</li>
 * </ul>
 * The metrics page's Content-Security-Policy lets script and style come from this origin's files only (no inline
 * script, no inline event handler, no other origin: nothing is fetched from a CDN) and fetches go to it alone.
 */
final class MetricsPages {

    static final String INDEX = "/_local/";
    static final String PAGE = "/_local/metrics";
    static final String JSON_PATH = "/_local/metrics.json";
    static final String SCRIPT = "/_local/metrics.js";
    static final String STYLE = "/_local/metrics.css";
    private static final Set<String> PATHS = Set.of("/_local", INDEX, PAGE, PAGE + "/", JSON_PATH, SCRIPT, STYLE);

    /** Script and style from this origin's files only, fetches to it alone; no inline script or handler. */
    static final String PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** The index: no script at all. */
    static final String INDEX_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    /** The summary's lines: label, then where its number is in the JSON (metrics.js has the same list). */
    static final List<Map.Entry<String, String>> SUMMARY = List.of(
            Map.entry("requests", "totals.requests"),
            Map.entry("chats started", "totals.chatsStarted"),
            Map.entry("chats not started", "totals.chatsNotStarted"),
            Map.entry("chat start failures (5xx)", "totals.chatStartFailures"),
            Map.entry("failures", "totals.failures"),
            Map.entry("Twilio calls", "totals.twilioCalls"),
            Map.entry("Twilio errors", "totals.twilioErrors"),
            Map.entry("store calls", "totals.storeCalls"),
            Map.entry("limited", "totals.limited"),
            Map.entry("blocked", "totals.blocked"),
            Map.entry("CAPTCHA failures", "totals.captchaFailures"),
            Map.entry("cold starts", "totals.coldStarts"),
            Map.entry("EMF lines", "lines.emf"),
            Map.entry("malformed", "lines.malformed"));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalMetrics metrics;
    private final byte[] script = resource("metrics.js");
    private final byte[] style = resource("metrics.css");

    MetricsPages(LocalMetrics metrics) {
        this.metrics = metrics;
    }

    /** Whether this answers {@code path} (the rest of {@code /_local/} is {@link MailPages}'). */
    static boolean owns(String path) {
        return PATHS.contains(path);
    }

    GatewayServer.Response serve(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new GatewayServer.Response(405, List.of(Map.entry("Allow", "GET, HEAD"),
                    Map.entry("Content-Type", "application/json")), "{\"message\":\"Method Not Allowed\"}".getBytes(StandardCharsets.UTF_8));
        }
        return switch (path) {
            case "/_local", INDEX -> html(index(), INDEX_CSP);
            case PAGE, PAGE + "/" -> html(page(metrics.snapshot(JSON)), PAGE_CSP);
            case JSON_PATH -> json();
            case SCRIPT -> file(script, "text/javascript; charset=utf-8");
            case STYLE -> file(style, "text/css; charset=utf-8");
            default -> GatewayServer.Response.message(404, "Not Found");
        };
    }

    private static String index() {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>./run-local</title><style>"
                + "body{font-family:sans-serif;margin:2em;max-width:50em}li{margin:.4em 0}</style></head><body>"
                + "<h1>./run-local</h1><p>Pages of the local gateway (this machine only; never a function's route):</p><ul>"
                + "<li><a href=\"/_local/metrics\">Metrics</a>: what the functions measured, from the Embedded Metric Format"
                + " blocks of their log lines, live (<a href=\"/_local/metrics.json\">as JSON</a>)</li>"
                + "<li><a href=\"/_local/mail\">Captured email</a> (<a href=\"/_local/mail.json\">as JSON</a>)</li>"
                + "</ul></body></html>";
    }

    private static String page(ObjectNode snapshot) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>./run-local metrics</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width\">")
                // No /favicon.ico request (the API would answer it 404): an empty icon, allowed by img-src data:.
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<link rel=\"stylesheet\" href=\"").append(STYLE).append("\">")
                .append("<script src=\"").append(SCRIPT).append("\" defer></script></head><body>")
                .append("<header><h1>./run-local metrics</h1><p><a href=\"/_local/\">Local pages</a> · ")
                .append("<a href=\"/_local/metrics.json\">JSON</a> · <span id=\"status\">since ")
                .append(MailPages.escape(snapshot.path("startedAt").asText())).append("</span></p></header>")
                .append("<p id=\"warning\" class=\"warning\" hidden></p>")
                .append("<section><h2>Totals since start</h2><ul id=\"summary\">");
        for (Map.Entry<String, String> item : SUMMARY) {
            html.append("<li data-key=\"").append(item.getValue()).append("\">").append(MailPages.escape(item.getKey()))
                    .append(": <b>").append(number(snapshot, item.getValue())).append("</b></li>");
        }
        html.append("</ul></section>")
                .append("<section><h2>Chats per minute</h2><p class=\"legend\"><span class=\"key started\"></span>started")
                .append(" <span class=\"key failed\"></span>not started (refused or failed)</p>")
                .append("<div class=\"chart\" id=\"chats\"></div></section>")
                .append("<section><h2>Failures by reason</h2><p class=\"note\">Requests whose Outcome was not ok, since start.</p>")
                .append("<div class=\"chart\" id=\"failures\"></div><table id=\"failure-table\"><thead><tr><th>Route</th>")
                .append("<th>Outcome</th><th>Count</th></tr></thead><tbody></tbody></table></section>")
                .append("<section><h2>Latency per route</h2><p class=\"legend\"><span class=\"key p50\"></span>p50")
                .append(" <span class=\"key p95\"></span>p95 <span class=\"key p99\"></span>p99 (ms, over the window)</p>")
                .append("<div class=\"chart\" id=\"latency\"></div><table id=\"route-table\"><thead><tr><th>Route</th>")
                .append("<th>Requests</th><th>Failures</th><th>p50</th><th>p95</th><th>p99</th><th>max</th>")
                .append("<th>Twilio calls</th><th>Store calls</th></tr></thead><tbody></tbody></table></section>")
                .append("<section><h2>Twilio</h2><p class=\"legend\"><span class=\"key calls\"></span>calls")
                .append(" <span class=\"key errors\"></span>errors per minute</p><div class=\"chart\" id=\"twilio\"></div>")
                .append("<p id=\"twilio-latency\"></p></section>")
                .append("<section><h2>Abuse protections</h2><p class=\"legend\"><span class=\"key limited\"></span>limited")
                .append(" <span class=\"key blocked\"></span>blocked <span class=\"key captcha\"></span>CAPTCHA failures")
                .append(" per minute</p><div class=\"chart\" id=\"abuse\"></div><ul id=\"abuse-totals\"></ul></section>")
                .append("<footer><p id=\"retention\"></p></footer></body></html>");
        return html.toString();
    }

    private static String number(JsonNode snapshot, String path) {
        JsonNode node = snapshot;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node.isNumber() ? node.asText() : "0";
    }

    private GatewayServer.Response json() {
        try {
            return new GatewayServer.Response(200, List.of(Map.entry("Content-Type", "application/json"),
                    Map.entry("Cache-Control", "no-store"), Map.entry("X-Content-Type-Options", "nosniff")),
                    JSON.writeValueAsBytes(metrics.snapshot(JSON)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GatewayServer.Response html(String html, String csp) {
        return new GatewayServer.Response(200, List.of(
                Map.entry("Content-Type", "text/html; charset=utf-8"),
                Map.entry("Content-Security-Policy", csp),
                Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("X-Frame-Options", "DENY"),
                Map.entry("Referrer-Policy", "no-referrer"),
                Map.entry("Cache-Control", "no-store")), html.getBytes(StandardCharsets.UTF_8));
    }

    private static GatewayServer.Response file(byte[] content, String type) {
        return new GatewayServer.Response(200, List.of(Map.entry("Content-Type", type),
                Map.entry("X-Content-Type-Options", "nosniff"), Map.entry("Cache-Control", "no-store")), content);
    }

    private static byte[] resource(String name) {
        try (InputStream in = MetricsPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("com/flexwebchat/local/" + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
