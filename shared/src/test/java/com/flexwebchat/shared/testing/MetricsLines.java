package com.flexwebchat.shared.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.metrics.MetricName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The metrics lines in a run's log, read as CloudWatch reads Embedded Metric Format
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html),
 * and checked against the specification: a {@code _aws} object with an integer {@code Timestamp}
 * and {@code CloudWatchMetrics} directives, each with a namespace, dimension sets of at most 30
 * keys whose values are strings at the top level, and at most 100 metrics whose values are numbers
 * (or arrays of at most 100 numbers) at the top level, with a CloudWatch unit. Every metric must
 * be a {@link MetricName} with its unit, and no dimension value may be personal data or a secret.
 */
public final class MetricsLines {

    /** What a dimension may hold: a short code, never a SID, address, email, token or name. */
    private static final Pattern DIMENSION_VALUE = Pattern.compile("[a-z][A-Za-z0-9_]{0,39}");
    private static final Set<String> UNITS = Set.of("Count", "Milliseconds");

    /** One invocation's metrics: its dimensions and its values (a count, or each value of a list). */
    public record Line(JsonNode raw, Map<String, String> dimensions, Map<String, List<Double>> values) {

        public double value(MetricName name) {
            List<Double> all = values.get(name.name());
            if (all == null) {
                throw new AssertionError(name + " is not in the line: " + values.keySet());
            }
            return all.stream().mapToDouble(Double::doubleValue).sum();
        }

        public boolean has(MetricName name) {
            return values.containsKey(name.name());
        }
    }

    private MetricsLines() {
    }

    /** Every line of {@code logs} that carries {@code _aws}, each checked against the specification. */
    public static List<Line> in(String logs) {
        List<Line> lines = new ArrayList<>();
        for (String text : logs.split("\n")) {
            if (!text.contains("\"_aws\"")) {
                continue;
            }
            JsonNode line;
            try {
                line = Json.parse(text);
            } catch (Exception e) {
                throw new AssertionError("a metrics line that is not JSON: " + text, e);
            }
            lines.add(check(line));
        }
        return lines;
    }

    /** The one metrics line of the invocation whose access line names {@code route} ({@code POST /initWebchat}), the last one. */
    public static Line lastFor(String logs, String route) {
        List<Line> all = in(logs).stream().filter(l -> route.equals(l.raw().path("route").asText())).toList();
        assertFalse(all.isEmpty(), "no metrics line for " + route + " in:\n" + logs);
        return all.get(all.size() - 1);
    }

    static Line check(JsonNode line) {
        assertEquals("Request completed", line.path("message").asText(), "metrics ride on the access line only");
        JsonNode aws = line.path("_aws");
        assertTrue(aws.path("Timestamp").isIntegralNumber(), "Timestamp in epoch milliseconds: " + aws);
        JsonNode directives = aws.path("CloudWatchMetrics");
        assertTrue(directives.isArray() && !directives.isEmpty(), "CloudWatchMetrics: " + aws);
        Map<String, String> dimensions = new TreeMap<>();
        Map<String, List<Double>> values = new TreeMap<>();
        Set<String> names = new HashSet<>();
        for (JsonNode directive : directives) {
            assertTrue(directive.path("Namespace").isTextual() && !directive.path("Namespace").asText().isBlank(), directive.toString());
            for (JsonNode set : directive.path("Dimensions")) {
                assertTrue(set.isArray() && set.size() <= 30, directive.toString());
                for (JsonNode key : set) {
                    JsonNode value = line.get(key.asText());
                    assertTrue(value != null && value.isTextual(), "dimension " + key + " has no string value in " + line);
                    assertTrue(DIMENSION_VALUE.matcher(value.asText()).matches(),
                            "dimension " + key + "=" + value + " is not a short code: no personal data or secret may be one");
                    dimensions.put(key.asText(), value.asText());
                }
            }
            JsonNode metrics = directive.path("Metrics");
            assertTrue(metrics.isArray() && metrics.size() <= 100, directive.toString());
            for (JsonNode metric : metrics) {
                String name = metric.path("Name").asText();
                MetricName known;
                try {
                    known = MetricName.valueOf(name);
                } catch (IllegalArgumentException e) {
                    throw new AssertionError("a metric the code does not name in MetricName: " + name);
                }
                assertEquals(known.unit().cloudWatch(), metric.path("Unit").asText(), name);
                assertTrue(UNITS.contains(metric.path("Unit").asText()), name);
                assertTrue(names.add(name), "metric " + name + " defined twice in one line");
                JsonNode value = line.get(name);
                List<Double> numbers = new ArrayList<>();
                if (value != null && value.isNumber()) {
                    numbers.add(value.asDouble());
                } else if (value != null && value.isArray() && value.size() <= 100) {
                    for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
                        JsonNode n = it.next();
                        assertTrue(n.isNumber(), name + " holds a non-number: " + value);
                        numbers.add(n.asDouble());
                    }
                } else {
                    throw new AssertionError("metric " + name + " has no number (or array of numbers) at the top level: " + line);
                }
                values.put(name, numbers);
            }
        }
        return new Line(line, dimensions, values);
    }
}
