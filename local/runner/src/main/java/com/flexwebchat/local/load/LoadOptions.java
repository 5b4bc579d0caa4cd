package com.flexwebchat.local.load;

import com.flexwebchat.local.ProjectRoot;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code ./run-local load} is asked to do.
 *
 * @param clients     concurrent clients, each a visitor with one request in flight at a time
 * @param duration    how long to measure, after the warm-up (null: until {@code requests} are done)
 * @param requests    how many requests to measure in all (0: for {@code duration})
 * @param warmup      requests sent before measuring and not counted
 * @param mix         each route's weight (routes with weight 0 are absent)
 * @param url         a running local API to load, or null to start one
 * @param limits      the protections' limits: raised out of reach, or as configured (then it is a limit test)
 * @param addresses   how many loopback source addresses the clients spread over (1: all from 127.0.0.1)
 * @param timeout     how long one request may take before it counts as a timeout
 * @param origin      the Origin the browser routes get
 * @param authToken   what webhooks are signed with (null: AUTH_TOKEN of the environment or .env, else the emulator's)
 * @param publicUrl   the URL webhooks are signed for (PUBLIC_BASE_URL; null: the API's own)
 * @param pid         the process serving {@code url}, for its memory (0: unknown)
 * @param template    the template a started API serves
 * @param json        where to write the report as JSON too (null: nowhere)
 */
public record LoadOptions(int clients, Duration duration, long requests, Duration warmup, Map<Route, Double> mix, URI url,
                          Limits limits, int addresses, Duration timeout, String origin, String authToken, URI publicUrl,
                          long pid, Path template, Path json) {

    /** The routes a load can send, by the names {@code --mix} takes. */
    public enum Route {
        INIT_WEBCHAT("initWebchat", "/initWebchat"),
        REFRESH_TOKEN("refreshToken", "/refreshToken"),
        END_CHAT("endChat", "/endChat"),
        STUDIO("studio", "/webhooks/studio"),
        CONVERSATIONS("conversations", "/webhooks/conversations"),
        TASKROUTER("taskrouter", "/webhooks/taskrouter");

        final String label;
        final String path;

        Route(String label, String path) {
            this.label = label;
            this.path = path;
        }

        public String label() {
            return label;
        }

        public String path() {
            return path;
        }

        boolean isWebhook() {
            return path.startsWith("/webhooks/");
        }

        /** Every route but /initWebchat works on a chat the client has open. */
        boolean needsChat() {
            return this != INIT_WEBCHAT;
        }
    }

    public enum Limits {
        /** RATE_LIMIT_* set out of reach, so the load measures the routes, not the limits. */
        RAISED,
        /** The template's or the environment's limits, as configured: a limit test. */
        AS_CONFIGURED
    }

    /** The limit the started API gets for each RATE_LIMIT_* with {@link Limits#RAISED}. */
    public static final String RAISED_LIMIT = "100000000/PT1H";
    public static final String DEFAULT_MIX = "initWebchat=1,refreshToken=4,endChat=1,webhooks=2";
    static final String USAGE = """
            usage: ./run-local load [--clients N] [--duration 30s | --requests N] [--warmup 3s]
                                    [--mix initWebchat=1,refreshToken=4,endChat=1,webhooks=2]
                                    [--limits raised|as-configured] [--addresses N] [--timeout 10s]
                                    [--url http://127.0.0.1:3001 [--pid PID] [--public-url URL] [--origin ORIGIN]]
                                    [--json FILE] [TEMPLATE (default: the repository's template.yaml)]
              --clients N      concurrent clients, each a visitor with one request in flight (default 20)
              --duration D     how long to measure after the warm-up: 30s, 2m, 500ms, PT30S (default 30s)
              --requests N     measure this many requests instead (or as well: whichever ends first)
              --warmup D       load before measuring, not counted (default 3s; 0 with --requests)
              --mix M          route weights; routes: initWebchat refreshToken endChat studio conversations
                               taskrouter, and webhooks (the three webhook routes, its weight shared evenly)
              --limits L       raised (default): the started API's RATE_LIMIT_* are set to %s, so the load
                               measures the routes; as-configured: the template's limits apply (a limit test)
              --addresses N    source addresses the clients spread over, 127.0.0.2 and up, all local on Linux
                               (default: one per client, as many visitors; 1: every client from 127.0.0.1)
              --timeout D      a request not answered in this time counts as a timeout (default 10s)
              --url URL        load a local API already running there instead of starting one; webhooks
                               are signed with AUTH_TOKEN (environment, .env, else the emulator's) for
                               --public-url (its PUBLIC_BASE_URL, default URL); --pid names its process,
                               for its memory
              --origin O       the Origin the browser routes send (default http://localhost:3000)
              --json FILE      also write the report as JSON
            Without --url it starts the API as ./run-local does (its own Twilio emulator and dynalite; the
            environment and .env are not read) in a JVM of its own, whose memory it reports.
            """.formatted(RAISED_LIMIT);

    /** Parses the command line; throws IllegalArgumentException with what is wrong. */
    public static LoadOptions parse(List<String> args, Map<String, String> settings) {
        int clients = 20;
        Duration duration = null;
        long requests = 0;
        Duration warmup = null;
        String mix = DEFAULT_MIX;
        URI url = null;
        Limits limits = Limits.RAISED;
        Integer addresses = null;
        Duration timeout = Duration.ofSeconds(10);
        String origin = "http://localhost:3000";
        URI publicUrl = null;
        long pid = 0;
        Path json = null;
        Path template = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                if (template != null) {
                    throw new IllegalArgumentException("one template only, got " + template + " and " + arg);
                }
                template = Path.of(arg);
                continue;
            }
            String name = arg;
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            } else {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                value = args.get(++i);
            }
            switch (name) {
                case "--clients" -> clients = positive(name, value);
                case "--duration" -> duration = duration(name, value);
                case "--requests" -> requests = positive(name, value);
                case "--warmup" -> warmup = durationOrZero(name, value);
                case "--mix" -> mix = value;
                case "--url" -> url = uri(name, value);
                case "--public-url" -> publicUrl = uri(name, value);
                case "--limits" -> limits = switch (value) {
                    case "raised" -> Limits.RAISED;
                    case "as-configured" -> Limits.AS_CONFIGURED;
                    default -> throw new IllegalArgumentException("--limits is raised or as-configured, got " + value);
                };
                case "--addresses" -> addresses = positive(name, value);
                case "--timeout" -> timeout = duration(name, value);
                case "--origin" -> origin = value;
                case "--pid" -> pid = positive(name, value);
                case "--json" -> json = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (duration == null && requests == 0) {
            duration = Duration.ofSeconds(30);
        }
        if (warmup == null) {
            warmup = requests > 0 && duration == null ? Duration.ZERO : Duration.ofSeconds(3);
        }
        if (url == null && (publicUrl != null || pid != 0)) {
            throw new IllegalArgumentException("--public-url and --pid go with --url");
        }
        String authToken = settings.get("AUTH_TOKEN") == null || settings.get("AUTH_TOKEN").isBlank() ? null
                : settings.get("AUTH_TOKEN").trim();
        int spread = addresses == null ? clients : addresses;
        if (spread > 250 * 250) {
            throw new IllegalArgumentException("--addresses is at most " + 250 * 250);
        }
        // A running API has the limits it has.
        return new LoadOptions(clients, duration, requests, warmup, parseMix(mix), url, url == null ? limits : Limits.AS_CONFIGURED,
                spread, timeout, origin, authToken, publicUrl, pid,
                template == null ? ProjectRoot.find().resolve("template.yaml") : template.toAbsolutePath(), json);
    }

    /** {@code initWebchat=1,refreshToken=4,webhooks=2}: weights by route, webhooks shared by the three webhook routes. */
    static Map<Route, Double> parseMix(String text) {
        Map<Route, Double> mix = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("--mix takes route=weight pairs, got '" + part + "'");
            }
            double weight;
            try {
                weight = Double.parseDouble(pair[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix: the weight of " + pair[0] + " is not a number: " + pair[1]);
            }
            if (weight < 0 || Double.isNaN(weight) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("--mix: weights are 0 or more, got " + pair[1]);
            }
            String name = pair[0].trim();
            if (name.equals("webhooks")) {
                for (Route route : List.of(Route.STUDIO, Route.CONVERSATIONS, Route.TASKROUTER)) {
                    mix.merge(route, weight / 3, Double::sum);
                }
                continue;
            }
            Route route = null;
            for (Route candidate : Route.values()) {
                if (candidate.label.equalsIgnoreCase(name)) {
                    route = candidate;
                }
            }
            if (route == null) {
                List<String> names = new ArrayList<>();
                for (Route candidate : Route.values()) {
                    names.add(candidate.label);
                }
                names.add("webhooks");
                throw new IllegalArgumentException("--mix: no route " + name + "; routes: " + String.join(", ", names));
            }
            mix.merge(route, weight, Double::sum);
        }
        mix.values().removeIf(weight -> weight == 0);
        if (mix.isEmpty()) {
            throw new IllegalArgumentException("--mix gives every route weight 0");
        }
        return Collections.unmodifiableMap(mix);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)?");

    private static Duration duration(String name, String value) {
        Duration parsed = durationOrZero(name, value);
        if (parsed.isZero()) {
            throw new IllegalArgumentException(name + " must be more than 0");
        }
        return parsed;
    }

    private static Duration durationOrZero(String name, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = DURATION.matcher(text);
        if (matcher.matches()) {
            double amount = Double.parseDouble(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            double millis = switch (unit) {
                case "ms" -> amount;
                case "m" -> amount * 60_000;
                default -> amount * 1_000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            Duration parsed = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (RuntimeException e) {
            // below
        }
        throw new IllegalArgumentException(name + " takes a duration such as 30s, 2m, 500ms or PT30S, got " + value);
    }

    private static int positive(String name, String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(name + " takes a whole number above 0, got " + value);
    }

    private static URI uri(String name, String value) {
        try {
            URI uri = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if ("http".equals(uri.getScheme()) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new IllegalArgumentException(name + " takes an http:// URL, got " + value);
    }
}
