package com.flexwebchat.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the functions of one {@code ./run-local} measured, read from the Embedded Metric Format blocks of their log
 * lines ({@link Emf}; the lines reach {@link #accept} through a {@link LogTee}), for the page at {@code /_local/metrics}.
 *
 * <p>Two views: totals since this run started (every metric's sum, the failures by route and outcome), kept as
 * counters; and a window of the last {@value #DEFAULT_MAX_LINES} EMF lines or {@link #DEFAULT_WINDOW} (whichever is
 * less, a ring), from which come the per-minute series and the latency percentiles.
 *
 * <p>The names it reads are those of the functions' metrics (README, "Metrics"): {@code Requests} with the dimensions
 * {@code Route} and {@code Outcome} ({@code ok} or the error code of the answer), {@code Latency},
 * {@code TwilioCalls}... Any other metric is still counted in {@code metrics}. Within a line a metric has one value
 * (or list of values) whatever the number of dimension sets it is published under, so each line's metric is counted
 * once, with the dimension values of every set it is in. A line without {@code _aws} is only counted as seen; a block
 * that breaks the specification is counted as malformed, with its reason, and skipped.
 */
final class LocalMetrics {

    static final int DEFAULT_MAX_LINES = 10_000;
    static final Duration DEFAULT_WINDOW = Duration.ofMinutes(30);
    /** The route that starts chats: its refusals are the chats that did not start. */
    static final String CHAT_ROUTE = "initWebchat";
    static final String OK = "ok";
    /** A per-minute series shows at least this many minutes, so one minute of data is not one bar filling the chart. */
    static final int MIN_MINUTES_SHOWN = 10;
    /** Bounds on what the since-start counters may hold, whatever lines arrive. */
    private static final int MAX_NAMES = 500;
    private static final String NO_ROUTE = "(none)";
    private static final String SEPARATOR = "\u0000";

    /** The named totals: the key in {@code totals} and the metric it sums. */
    static final Map<String, String> TOTALS = totals();

    private static Map<String, String> totals() {
        Map<String, String> totals = new LinkedHashMap<>();
        totals.put("requests", "Requests");
        totals.put("chatsStarted", "ChatsStarted");
        totals.put("chatStartFailures", "ChatStartFailures");
        totals.put("chatsEnded", "ChatsEnded");
        totals.put("serverErrors", "ServerErrors");
        totals.put("clientErrors", "ClientErrors");
        totals.put("twilioCalls", "TwilioCalls");
        totals.put("twilioErrors", "TwilioErrors");
        totals.put("twilioThrottled", "TwilioThrottled");
        totals.put("storeCalls", "StoreCalls");
        totals.put("storeErrors", "StoreErrors");
        totals.put("mailCalls", "MailCalls");
        totals.put("mailErrors", "MailErrors");
        totals.put("coldStarts", "ColdStarts");
        totals.put("tokensRenewed", "TokensRenewed");
        totals.put("tokensRefused", "TokensRefused");
        totals.put("webhooksRefused", "WebhooksRefused");
        totals.put("messagesMasked", "MessagesMasked");
        totals.put("messagesRejected", "MessagesRejected");
        totals.put("limited", "RequestsLimited");
        totals.put("blocked", "RequestsBlocked");
        totals.put("captchaFailures", "CaptchaFailures");
        totals.put("transcriptsSent", "TranscriptsSent");
        totals.put("transcriptsRefused", "TranscriptsRefused");
        return java.util.Collections.unmodifiableMap(totals);
    }

    /** One metric of one line: its values, and the dimension values of every set it is published under. */
    record Observation(String namespace, String metric, String unit, Map<String, String> dimensions, double[] values) {

        double sum() {
            double sum = 0;
            for (double value : values) {
                sum += value;
            }
            return sum;
        }

        String dimension(String name) {
            return dimensions.get(name);
        }
    }

    /** One EMF line, as kept in the window. */
    record Line(Instant arrived, Instant time, List<Observation> observations) {
    }

    private static final class Total {
        final String unit;
        double sum;
        long samples;

        Total(String unit) {
            this.unit = unit;
        }
    }

    private final Clock clock;
    private final int maxLines;
    private final Duration window;
    private final Instant startedAt;

    // All guarded by this.
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private long seen;
    private long emf;
    private long malformed;
    private long requestLines;
    private long requestLinesWithoutEmf;
    private String lastMalformedReason;
    private Instant lastMalformedAt;
    private final Map<String, Total> byMetric = new TreeMap<>();
    private final Map<String, Long> failures = new LinkedHashMap<>();
    private final TreeSet<String> namespaces = new TreeSet<>();

    LocalMetrics() {
        this(Clock.systemUTC(), DEFAULT_MAX_LINES, DEFAULT_WINDOW);
    }

    LocalMetrics(Clock clock, int maxLines, Duration window) {
        if (maxLines < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a window of at least one line and some time");
        }
        this.clock = clock;
        this.maxLines = maxLines;
        this.window = window;
        this.startedAt = clock.instant();
    }

    /**
     * One log line, whoever wrote it; never throws. It runs on the function's thread, inside the log's lock: a line
     * that cannot be EMF or an access line (most of them) is only counted, not parsed.
     */
    void accept(String line) {
        if (line == null || !(line.contains("\"_aws\"") || line.contains("Request completed"))) {
            synchronized (this) {
                seen++;
            }
            return;
        }
        Emf.Result result;
        try {
            result = Emf.parse(line);
        } catch (RuntimeException e) {
            result = Emf.Result.malformed("unreadable (" + e.getClass().getSimpleName() + ")", null);
        }
        boolean requestLine = result.json() != null && "Request completed".equals(result.json().path("message").asText(null));
        List<Observation> observations = result.ok() ? observations(result.points()) : List.of();
        Instant now = clock.instant();
        synchronized (this) {
            seen++;
            if (requestLine) {
                requestLines++;
                if (!result.emf()) {
                    requestLinesWithoutEmf++;
                }
            }
            if (!result.emf()) {
                return;
            }
            if (!result.ok()) {
                malformed++;
                lastMalformedReason = result.malformed();
                lastMalformedAt = now;
                return;
            }
            emf++;
            for (Observation observation : observations) {
                count(observation);
            }
            lines.addLast(new Line(now, result.time(), observations));
            evict(now);
        }
    }

    /** A line's data points, one per metric: CloudWatch publishes the same values under each of its dimension sets. */
    static List<Observation> observations(List<Emf.DataPoint> points) {
        Map<String, Observation> byMetric = new LinkedHashMap<>();
        for (Emf.DataPoint point : points) {
            String key = point.namespace() + SEPARATOR + point.metric();
            Observation seen = byMetric.get(key);
            if (seen == null) {
                double[] values = point.values().stream().mapToDouble(Double::doubleValue).toArray();
                byMetric.put(key, new Observation(point.namespace(), point.metric(), point.unit(),
                        new LinkedHashMap<>(point.dimensions()), values));
            } else {
                seen.dimensions().putAll(point.dimensions());
            }
        }
        List<Observation> result = new ArrayList<>(byMetric.size());
        byMetric.values().forEach(o -> result.add(new Observation(o.namespace(), o.metric(), o.unit(),
                java.util.Collections.unmodifiableMap(o.dimensions()), o.values())));
        return result;
    }

    private void count(Observation observation) {
        if (namespaces.size() < MAX_NAMES) {
            namespaces.add(observation.namespace());
        }
        Total total = byMetric.get(observation.metric());
        if (total == null && byMetric.size() < MAX_NAMES) {
            total = new Total(observation.unit());
            byMetric.put(observation.metric(), total);
        }
        if (total != null) {
            total.sum += observation.sum();
            total.samples += observation.values().length;
        }
        String outcome = observation.dimension("Outcome");
        if (observation.metric().equals("Requests") && outcome != null && !outcome.equals(OK)) {
            String key = route(observation) + SEPARATOR + outcome;
            if (failures.containsKey(key) || failures.size() < MAX_NAMES) {
                failures.merge(key, Math.round(observation.sum()), Long::sum);
            }
        }
    }

    private void evict(Instant now) {
        Instant oldest = now.minus(window);
        while (!lines.isEmpty() && (lines.size() > maxLines || lines.peekFirst().arrived().isBefore(oldest))) {
            lines.removeFirst();
        }
    }

    private static String route(Observation observation) {
        String route = observation.dimension("Route");
        return route == null ? NO_ROUTE : route;
    }

    // ---------------------------------------------------------------- the JSON of /_local/metrics.json

    /** Everything the page shows; the shape is described in the README's section on the local page. */
    ObjectNode snapshot(ObjectMapper json) {
        Instant now = clock.instant();
        List<Line> kept;
        ObjectNode body = json.createObjectNode();
        synchronized (this) {
            evict(now);
            kept = new ArrayList<>(lines);
            body.put("startedAt", startedAt.toString());
            body.put("now", now.toString());
            ObjectNode retention = body.putObject("retention");
            retention.put("maxLines", maxLines);
            retention.put("minutes", window.toMinutes());
            retention.put("kept", kept.size());
            retention.put("oldest", kept.isEmpty() ? null : kept.get(0).arrived().toString());
            ObjectNode seenLines = body.putObject("lines");
            seenLines.put("seen", seen);
            seenLines.put("emf", emf);
            seenLines.put("malformed", malformed);
            seenLines.put("withoutEmf", seen - emf - malformed);
            seenLines.put("requestLines", requestLines);
            seenLines.put("requestLinesWithoutEmf", requestLinesWithoutEmf);
            if (lastMalformedReason == null) {
                body.putNull("lastMalformed");
            } else {
                body.putObject("lastMalformed").put("at", lastMalformedAt.toString()).put("reason", lastMalformedReason);
            }
            ArrayNode names = body.putArray("namespaces");
            namespaces.forEach(names::add);
            Map<String, Long> failuresSinceStart = failures;
            ObjectNode named = body.putObject("totals");
            TOTALS.forEach((key, metric) -> named.put(key, byMetric.containsKey(metric) ? Math.round(byMetric.get(metric).sum) : 0));
            named.put("failures", failuresSinceStart.values().stream().mapToLong(Long::longValue).sum());
            named.put("chatsNotStarted", failuresSinceStart.entrySet().stream()
                    .filter(e -> e.getKey().startsWith(CHAT_ROUTE + SEPARATOR)).mapToLong(Map.Entry::getValue).sum());
            ArrayNode failureList = body.putArray("failures");
            failuresSinceStart.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> {
                        String[] parts = e.getKey().split(SEPARATOR, 2);
                        failureList.addObject().put("route", parts[0]).put("outcome", parts[1]).put("count", e.getValue());
                    });
            ObjectNode metrics = body.putObject("metrics");
            byMetric.forEach((name, total) -> metrics.putObject(name).put("unit", total.unit).put("sum", round(total.sum))
                    .put("samples", total.samples));
        }
        body.set("window", window(json, kept, now));
        return body;
    }

    private static final class RouteWindow {
        long requests;
        long failures;
        final Map<String, Long> outcomes = new TreeMap<>();
        final Samples latency = new Samples();
        long twilioCalls;
        final Samples twilioLatency = new Samples();
        long storeCalls;
    }

    private static final class MinuteWindow {
        final Map<String, Double> sums = new LinkedHashMap<>();
        long failures;
        long chatsNotStarted;
        final Samples latency = new Samples();

        long sum(String metric) {
            return Math.round(sums.getOrDefault(metric, 0.0));
        }
    }

    private ObjectNode window(ObjectMapper json, List<Line> kept, Instant now) {
        Map<String, RouteWindow> routes = new TreeMap<>();
        TreeMap<Instant, MinuteWindow> minutes = new TreeMap<>();
        Map<String, Double> sums = new LinkedHashMap<>();
        Samples twilioLatency = new Samples();
        Samples storeLatency = new Samples();
        Samples mailLatency = new Samples();
        for (Line line : kept) {
            MinuteWindow minute = minutes.computeIfAbsent(line.time().truncatedTo(ChronoUnit.MINUTES), m -> new MinuteWindow());
            for (Observation o : line.observations()) {
                double sum = o.sum();
                sums.merge(o.metric(), sum, Double::sum);
                minute.sums.merge(o.metric(), sum, Double::sum);
                String route = route(o);
                switch (o.metric()) {
                    case "Requests" -> {
                        RouteWindow r = routes.computeIfAbsent(route, k -> new RouteWindow());
                        r.requests += Math.round(sum);
                        String outcome = o.dimension("Outcome");
                        if (outcome != null) {
                            r.outcomes.merge(outcome, Math.round(sum), Long::sum);
                            if (!outcome.equals(OK)) {
                                r.failures += Math.round(sum);
                                minute.failures += Math.round(sum);
                                if (route.equals(CHAT_ROUTE)) {
                                    minute.chatsNotStarted += Math.round(sum);
                                }
                            }
                        }
                    }
                    case "Latency" -> {
                        routes.computeIfAbsent(route, k -> new RouteWindow()).latency.add(o.values());
                        minute.latency.add(o.values());
                    }
                    case "TwilioCalls" -> routes.computeIfAbsent(route, k -> new RouteWindow()).twilioCalls += Math.round(sum);
                    case "TwilioLatency" -> {
                        routes.computeIfAbsent(route, k -> new RouteWindow()).twilioLatency.add(o.values());
                        twilioLatency.add(o.values());
                    }
                    case "StoreCalls" -> routes.computeIfAbsent(route, k -> new RouteWindow()).storeCalls += Math.round(sum);
                    case "StoreLatency" -> storeLatency.add(o.values());
                    case "MailLatency" -> mailLatency.add(o.values());
                    default -> {
                        // counted in the sums only
                    }
                }
            }
        }

        ObjectNode window = json.createObjectNode();
        window.put("from", kept.isEmpty() ? null : kept.get(0).arrived().toString());
        window.put("lines", kept.size());
        ArrayNode minuteList = window.putArray("minutes");
        for (Map.Entry<Instant, MinuteWindow> entry : series(minutes, now).entrySet()) {
            MinuteWindow m = entry.getValue();
            ObjectNode node = minuteList.addObject();
            node.put("minute", entry.getKey().toString());
            node.put("requests", m.sum("Requests"));
            node.put("chatsStarted", m.sum("ChatsStarted"));
            node.put("chatsNotStarted", m.chatsNotStarted);
            node.put("chatStartFailures", m.sum("ChatStartFailures"));
            node.put("failures", m.failures);
            node.put("twilioCalls", m.sum("TwilioCalls"));
            node.put("twilioErrors", m.sum("TwilioErrors"));
            node.put("storeCalls", m.sum("StoreCalls"));
            node.put("limited", m.sum("RequestsLimited"));
            node.put("blocked", m.sum("RequestsBlocked"));
            node.put("captchaFailures", m.sum("CaptchaFailures"));
            node.put("coldStarts", m.sum("ColdStarts"));
            Double p95 = m.latency.percentile(95);
            if (p95 == null) {
                node.putNull("latencyP95");
            } else {
                node.put("latencyP95", p95);
            }
        }
        ArrayNode routeList = window.putArray("routes");
        routes.forEach((name, r) -> {
            ObjectNode node = routeList.addObject();
            node.put("route", name);
            node.put("requests", r.requests);
            node.put("failures", r.failures);
            ObjectNode outcomes = node.putObject("outcomes");
            r.outcomes.forEach(outcomes::put);
            node.set("latency", r.latency.toJson(json));
            node.put("twilioCalls", r.twilioCalls);
            node.set("twilioLatency", r.twilioLatency.toJson(json));
            node.put("storeCalls", r.storeCalls);
        });
        window.putObject("twilio").put("calls", Math.round(sums.getOrDefault("TwilioCalls", 0.0)))
                .put("errors", Math.round(sums.getOrDefault("TwilioErrors", 0.0)))
                .put("throttled", Math.round(sums.getOrDefault("TwilioThrottled", 0.0)))
                .set("latency", twilioLatency.toJson(json));
        window.putObject("store").put("calls", Math.round(sums.getOrDefault("StoreCalls", 0.0)))
                .put("errors", Math.round(sums.getOrDefault("StoreErrors", 0.0)))
                .set("latency", storeLatency.toJson(json));
        window.putObject("mail").put("calls", Math.round(sums.getOrDefault("MailCalls", 0.0)))
                .put("errors", Math.round(sums.getOrDefault("MailErrors", 0.0)))
                .set("latency", mailLatency.toJson(json));
        return window;
    }

    /**
     * The minutes to chart: every minute from the first kept to now (or to the last kept line, when its timestamp is
     * ahead), the empty ones included; at least {@value #MIN_MINUTES_SHOWN}, at most the window's.
     */
    private TreeMap<Instant, MinuteWindow> series(TreeMap<Instant, MinuteWindow> minutes, Instant now) {
        Instant last = now.truncatedTo(ChronoUnit.MINUTES);
        if (!minutes.isEmpty() && minutes.lastKey().isAfter(last)) {
            last = minutes.lastKey();
        }
        long most = Math.max(1, window.toMinutes());
        Instant first = minutes.isEmpty() ? last : minutes.firstKey();
        long span = ChronoUnit.MINUTES.between(first, last) + 1;
        long shown = Math.min(most, Math.max(Math.min(MIN_MINUTES_SHOWN, most), span));
        first = last.minus(shown - 1, ChronoUnit.MINUTES);
        TreeMap<Instant, MinuteWindow> series = new TreeMap<>();
        for (Instant minute = first; !minute.isAfter(last); minute = minute.plus(1, ChronoUnit.MINUTES)) {
            series.put(minute, minutes.getOrDefault(minute, new MinuteWindow()));
        }
        return series;
    }

    /** Values of a Milliseconds metric, for percentiles. */
    static final class Samples {
        private double[] values = new double[16];
        private int size;

        void add(double[] more) {
            if (size + more.length > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + more.length));
            }
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }

        int size() {
            return size;
        }

        /** The nearest-rank percentile (the smallest value with at least p% of the values at or below it), or null. */
        Double percentile(double p) {
            if (size == 0) {
                return null;
            }
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(p / 100.0 * size);
            return round(sorted[Math.max(0, Math.min(size, rank) - 1)]);
        }

        ObjectNode toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode();
            node.put("samples", size);
            for (int p : new int[] {50, 95, 99, 100}) {
                String key = p == 100 ? "max" : "p" + p;
                Double value = percentile(p);
                if (value == null) {
                    node.putNull(key);
                } else {
                    node.put(key, value);
                }
            }
            return node;
        }
    }

    /** Milliseconds to a tenth of one; counts stay whole. */
    static double round(double value) {
        return Math.round(value * 10.0) / 10.0;
    }
}
