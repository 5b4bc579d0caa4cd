package com.flexwebchat.shared.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One invocation's metrics, written as CloudWatch's Embedded Metric Format into the access line the
 * invocation writes anyway (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
 * CloudWatch Logs extracts them, so there is no CloudWatch API call, no extra round trip and
 * nothing after the response, and one line per invocation carries them all.
 *
 * <p>What the code counts as it goes ({@link #count}: chats started, messages masked, requests
 * limited...) is kept per invocation, like {@code UpstreamTime}, which supplies the calls to
 * Twilio, the store and the mail provider. Dimensions are few and fixed: none (the whole API),
 * {@code Route}, {@code Route} with {@code Outcome} for {@link MetricName#Requests}, and
 * {@code EndedBy} for {@link MetricName#ChatsEnded}. No SID, address, email or name ever becomes a
 * dimension or a value.
 */
public final class Metrics {

    public static final String DEFAULT_NAMESPACE = "FlexWebChat";
    /** Who ended a chat: the visitor, the agent, nobody (abandoned), or a timer. */
    public enum EndedBy { VISITOR, AGENT, ABANDONED, TIMER }

    private static final ThreadLocal<Metrics> CURRENT = new ThreadLocal<>();

    private final Map<MetricName, Long> counts = new ConcurrentHashMap<>();
    private volatile EndedBy endedBy;

    /** The invocation's, on this thread; null outside one (then counting does nothing). */
    public static Metrics current() {
        return CURRENT.get();
    }

    public static void enter(Metrics metrics) {
        CURRENT.set(metrics);
    }

    public static void exit() {
        CURRENT.remove();
    }

    /** Runs {@code work} with this as the thread's, then puts back what was there. */
    public <T> T run(Supplier<T> work) {
        Metrics previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** Counts one of {@code name} in the current invocation. */
    public static void count(MetricName name) {
        Metrics metrics = CURRENT.get();
        if (metrics != null) {
            metrics.counts.merge(name, 1L, Long::sum);
        }
    }

    /** Counts a chat's ending, and by whom. */
    public static void chatEnded(EndedBy by) {
        Metrics metrics = CURRENT.get();
        if (metrics != null) {
            metrics.endedBy = by;
            metrics.counts.merge(MetricName.ChatsEnded, 1L, Long::sum);
        }
    }

    /** What has been counted so far (tests, and the line). */
    public long count(MetricName name, long fallback) {
        return counts.getOrDefault(name, fallback);
    }

    /**
     * The invocation's answer, for the line.
     *
     * @param route          the route's short name ({@code initWebchat}, {@code conversations}...)
     * @param status         the HTTP status answered
     * @param outcome        {@code ok} for a 2xx, else the error code answered
     * @param latencyMillis  the whole invocation
     * @param initMillis     for an instance's first invocation, its init (null when restored from a snapshot); else null
     * @param coldStart      whether this is the instance's first invocation
     */
    public record Answer(String route, int status, String outcome, double latencyMillis, boolean coldStart, Double initMillis) {
    }

    /** The fields to add to the access line: {@code _aws} and every dimension and metric value it names. */
    public ObjectNode emf(String namespace, Answer answer, List<UpstreamCall> calls, Instant now) {
        ObjectNode fields = Json.object();
        List<MetricName> plain = new ArrayList<>();
        fields.put("Route", answer.route());
        fields.put("Outcome", answer.outcome());
        fields.put(MetricName.Requests.name(), 1);
        put(fields, plain, MetricName.Latency, round(answer.latencyMillis()));
        put(fields, plain, MetricName.ServerErrors, answer.status() >= 500 ? 1 : 0);
        put(fields, plain, MetricName.ClientErrors, answer.status() >= 400 && answer.status() < 500 ? 1 : 0);
        upstream(fields, plain, calls, UpstreamCall.TWILIO, MetricName.TwilioCalls, MetricName.TwilioErrors, MetricName.TwilioThrottled,
                MetricName.TwilioLatency);
        upstream(fields, plain, calls, UpstreamCall.STORE, MetricName.StoreCalls, MetricName.StoreErrors, null, MetricName.StoreLatency);
        upstream(fields, plain, calls, UpstreamCall.MAIL, MetricName.MailCalls, MetricName.MailErrors, null, MetricName.MailLatency);
        if (answer.coldStart()) {
            put(fields, plain, MetricName.ColdStarts, 1);
            if (answer.initMillis() != null) {
                put(fields, plain, MetricName.InitDuration, round(answer.initMillis()));
            }
        }
        for (MetricName name : MetricName.values()) {
            Long count = counts.get(name);
            if (count != null && count > 0 && name != MetricName.ChatsEnded) {
                put(fields, plain, name, count);
            }
        }
        // A visitor who wanted a chat and got a 5xx: known only from the answer, so counted here (the line is rendered once).
        if ("initWebchat".equals(answer.route()) && answer.status() >= 500) {
            put(fields, plain, MetricName.ChatStartFailures, 1);
        }

        ObjectNode aws = Json.object();
        aws.put("Timestamp", now.toEpochMilli());
        ArrayNode directives = aws.putArray("CloudWatchMetrics");
        directive(directives, namespace, List.of(List.of(), List.of("Route"), List.of("Route", "Outcome")), List.of(MetricName.Requests));
        directive(directives, namespace, List.of(List.of(), List.of("Route")), plain);
        Long ended = counts.get(MetricName.ChatsEnded);
        if (ended != null && ended > 0) {
            fields.put(MetricName.ChatsEnded.name(), ended);
            fields.put("EndedBy", endedBy == null ? "visitor" : endedBy.name().toLowerCase(Locale.ROOT));
            directive(directives, namespace, List.of(List.of(), List.of("Route"), List.of("EndedBy")), List.of(MetricName.ChatsEnded));
        }
        fields.set("_aws", aws);
        return fields;
    }

    private static void upstream(ObjectNode fields, List<MetricName> plain, List<UpstreamCall> calls, String upstream,
                                 MetricName callsName, MetricName errorsName, MetricName throttledName, MetricName latencyName) {
        List<UpstreamCall> mine = calls.stream().filter(c -> c.upstream().equals(upstream)).toList();
        if (mine.isEmpty()) {
            return;
        }
        put(fields, plain, callsName, mine.size());
        long errors = mine.stream().filter(UpstreamCall::failed).count();
        if (errors > 0) {
            put(fields, plain, errorsName, errors);
        }
        long throttled = mine.stream().filter(UpstreamCall::throttled).count();
        if (throttledName != null && throttled > 0) {
            put(fields, plain, throttledName, throttled);
        }
        ArrayNode latencies = fields.putArray(latencyName.name());
        mine.forEach(call -> latencies.add(round(call.millis())));
        plain.add(latencyName);
    }

    private static void put(ObjectNode fields, List<MetricName> plain, MetricName name, double value) {
        fields.put(name.name(), value);
        plain.add(name);
    }

    private static void put(ObjectNode fields, List<MetricName> plain, MetricName name, long value) {
        fields.put(name.name(), value);
        plain.add(name);
    }

    private static void directive(ArrayNode directives, String namespace, List<List<String>> dimensions, List<MetricName> names) {
        ObjectNode directive = directives.addObject();
        directive.put("Namespace", namespace);
        ArrayNode sets = directive.putArray("Dimensions");
        dimensions.forEach(set -> {
            ArrayNode keys = sets.addArray();
            set.forEach(keys::add);
        });
        ArrayNode metrics = directive.putArray("Metrics");
        names.forEach(name -> metrics.addObject().put("Name", name.name()).put("Unit", name.unit().cloudWatch()));
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
