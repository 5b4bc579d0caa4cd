package com.flexwebchat.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reader of CloudWatch Embedded Metric Format log lines, generic: it knows the format, not who wrote the line
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 *
 * <p>A line is a JSON object whose {@code _aws} member holds {@code Timestamp} (milliseconds since the epoch) and
 * {@code CloudWatchMetrics}, a list of directives: each names a {@code Namespace}, its {@code Dimensions} (a list of
 * dimension sets, each a list of member names, possibly empty) and its {@code Metrics} (each a {@code Name}, an optional
 * {@code Unit}, an optional {@code StorageResolution}). The values are the line's own members: a dimension's a string,
 * a metric's a number or a list of 1 to 100 numbers.
 *
 * <p>{@link #parse} gives the data points CloudWatch would extract: one per directive, dimension set and metric, each
 * with the dimension values of its set. A line without {@code _aws} is {@link Result#notEmf()}; one whose block breaks
 * the specification (what CloudWatch would refuse to extract from) is {@link Result#malformed} with the reason, which
 * names members, never their values.
 */
final class Emf {

    /** The units CloudWatch accepts (MetricDatum.Unit); a metric without one is "None". */
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
            "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
            "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
            "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");
    /** The specification's limits. */
    static final int MAX_VALUES = 100;
    static final int MAX_DIMENSIONS = 30;
    static final int MAX_METRICS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Emf() {
    }

    /**
     * One value series CloudWatch would extract.
     *
     * @param dimensions the dimension set's members and their values, in the set's order (empty for the set {@code []})
     * @param values     one or more numbers, as the line had them
     */
    record DataPoint(Instant time, String namespace, String metric, String unit, Map<String, String> dimensions,
                     List<Double> values) {
    }

    /**
     * What one line held.
     *
     * @param emf       whether the line carried an {@code _aws} member at all
     * @param malformed why the block cannot be read, or null
     * @param json      the whole line, when it was a JSON object (null otherwise)
     */
    record Result(boolean emf, String malformed, Instant time, List<DataPoint> points, JsonNode json) {

        static Result notEmf(JsonNode json) {
            return new Result(false, null, null, List.of(), json);
        }

        static Result malformed(String reason, JsonNode json) {
            return new Result(true, reason, null, List.of(), json);
        }

        boolean ok() {
            return emf && malformed == null;
        }
    }

    /** A reason the block is refused, naming what is wrong (never a value of the line). */
    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Reads one log line; never throws. */
    static Result parse(String line) {
        if (line == null) {
            return Result.notEmf(null);
        }
        String text = line.strip();
        if (!text.startsWith("{")) {
            return Result.notEmf(null);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // Not JSON (or cut short): if it meant to carry a block, that block cannot be read.
            return text.contains("\"_aws\"") ? Result.malformed("the line is not valid JSON", null) : Result.notEmf(null);
        }
        if (root == null || !root.isObject()) {
            return Result.notEmf(null);
        }
        if (!root.has("_aws")) {
            return Result.notEmf(root);
        }
        try {
            return read(root);
        } catch (Refused e) {
            return Result.malformed(e.getMessage(), root);
        }
    }

    private static Result read(JsonNode root) throws Refused {
        JsonNode aws = root.get("_aws");
        if (!aws.isObject()) {
            throw new Refused("_aws is not an object");
        }
        JsonNode timestamp = aws.get("Timestamp");
        if (timestamp == null || !timestamp.isIntegralNumber() || timestamp.asLong() < 0) {
            throw new Refused("_aws.Timestamp is not a number of milliseconds since the epoch");
        }
        Instant time = Instant.ofEpochMilli(timestamp.asLong());
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            throw new Refused("_aws.CloudWatchMetrics is not a list");
        }
        List<DataPoint> points = new ArrayList<>();
        for (int d = 0; d < directives.size(); d++) {
            JsonNode directive = directives.get(d);
            String where = "_aws.CloudWatchMetrics[" + d + "]";
            if (!directive.isObject()) {
                throw new Refused(where + " is not an object");
            }
            JsonNode namespace = directive.get("Namespace");
            if (namespace == null || !namespace.isTextual() || namespace.asText().isBlank() || namespace.asText().length() > 1024) {
                throw new Refused(where + ".Namespace is not a name");
            }
            List<Map<String, String>> dimensionSets = dimensionSets(root, directive.get("Dimensions"), where);
            JsonNode metrics = directive.get("Metrics");
            if (metrics == null || !metrics.isArray() || metrics.size() > MAX_METRICS) {
                throw new Refused(where + ".Metrics is not a list of at most " + MAX_METRICS + " metrics");
            }
            for (int m = 0; m < metrics.size(); m++) {
                JsonNode metric = metrics.get(m);
                String at = where + ".Metrics[" + m + "]";
                if (!metric.isObject() || metric.get("Name") == null || !metric.get("Name").isTextual()
                        || metric.get("Name").asText().isEmpty() || metric.get("Name").asText().length() > 1024) {
                    throw new Refused(at + " has no Name");
                }
                String name = metric.get("Name").asText();
                String unit = "None";
                JsonNode unitNode = metric.get("Unit");
                if (unitNode != null && !unitNode.isNull()) {
                    if (!unitNode.isTextual() || !UNITS.contains(unitNode.asText())) {
                        throw new Refused(at + " (" + name + ") has a Unit CloudWatch does not know");
                    }
                    unit = unitNode.asText();
                }
                List<Double> values = values(root.get(name), name);
                for (Map<String, String> dimensions : dimensionSets) {
                    points.add(new DataPoint(time, namespace.asText(), name, unit, dimensions, values));
                }
            }
        }
        return new Result(true, null, time, List.copyOf(points), root);
    }

    private static List<Map<String, String>> dimensionSets(JsonNode root, JsonNode sets, String where) throws Refused {
        if (sets == null || !sets.isArray()) {
            throw new Refused(where + ".Dimensions is not a list of dimension sets");
        }
        List<Map<String, String>> result = new ArrayList<>();
        for (int s = 0; s < sets.size(); s++) {
            JsonNode set = sets.get(s);
            if (!set.isArray() || set.size() > MAX_DIMENSIONS) {
                throw new Refused(where + ".Dimensions[" + s + "] is not a list of at most " + MAX_DIMENSIONS + " names");
            }
            Map<String, String> dimensions = new LinkedHashMap<>();
            for (JsonNode key : set) {
                if (!key.isTextual() || key.asText().isEmpty()) {
                    throw new Refused(where + ".Dimensions[" + s + "] holds something that is not a name");
                }
                JsonNode value = root.get(key.asText());
                if (value == null || !value.isTextual()) {
                    throw new Refused("the dimension " + key.asText() + " has no string value in the line");
                }
                dimensions.put(key.asText(), value.asText());
            }
            result.add(Collections.unmodifiableMap(dimensions));
        }
        return result;
    }

    private static List<Double> values(JsonNode value, String name) throws Refused {
        if (value == null || value.isNull()) {
            throw new Refused("the metric " + name + " has no value in the line");
        }
        if (value.isNumber()) {
            return List.of(finite(value, name));
        }
        if (value.isArray() && !value.isEmpty() && value.size() <= MAX_VALUES) {
            List<Double> values = new ArrayList<>(value.size());
            for (JsonNode number : value) {
                if (!number.isNumber()) {
                    throw new Refused("the metric " + name + " has a value that is not a number");
                }
                values.add(finite(number, name));
            }
            return List.copyOf(values);
        }
        throw new Refused("the metric " + name + " is neither a number nor a list of 1 to " + MAX_VALUES + " numbers");
    }

    private static double finite(JsonNode number, String name) throws Refused {
        double value = number.asDouble();
        if (!Double.isFinite(value)) {
            throw new Refused("the metric " + name + " has a value out of range");
        }
        return value;
    }
}
