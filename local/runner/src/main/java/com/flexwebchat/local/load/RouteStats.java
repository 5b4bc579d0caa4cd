package com.flexwebchat.local.load;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One route's measured requests: every latency (so the percentiles are exact), and how many ended
 * in each outcome (a status, or {@code timeout} / {@code io} when no answer came).
 */
final class RouteStats {

    private long[] latencies = new long[1024];
    private int count;
    private final Map<String, Long> outcomes = new TreeMap<>();

    void record(long nanos, String outcome) {
        if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = nanos;
        outcomes.merge(outcome, 1L, Long::sum);
    }

    void addAll(RouteStats other) {
        for (int i = 0; i < other.count; i++) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, Math.max(count * 2, 16));
            }
            latencies[count++] = other.latencies[i];
        }
        other.outcomes.forEach((outcome, n) -> outcomes.merge(outcome, n, Long::sum));
    }

    int count() {
        return count;
    }

    Map<String, Long> outcomes() {
        return outcomes;
    }

    /** Requests that did not end as {@code expected} says a good one does. */
    long errors(java.util.function.Predicate<String> expected) {
        return outcomes.entrySet().stream().filter(e -> !expected.test(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    }

    /** The latencies, sorted, in milliseconds: p50, p90, p99, max (nearest rank); zeros when there are none. */
    double[] percentilesMillis() {
        if (count == 0) {
            return new double[4];
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return new double[] {rank(sorted, 0.50), rank(sorted, 0.90), rank(sorted, 0.99), sorted[count - 1] / 1e6};
    }

    private static double rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }
}
