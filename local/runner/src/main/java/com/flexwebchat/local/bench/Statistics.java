package com.flexwebchat.local.bench;

import java.util.Arrays;

/**
 * The benchmark's statistics, free of any measuring or printing: a few cold starts are summed up
 * as median and range ({@link Spread}), many warm invocations as percentiles ({@link Percentiles}).
 * An empty set of values gives NaN, which the report writes as null.
 */
public final class Statistics {

    private Statistics() {
    }

    /**
     * Median, min and max of the values that are measurements (NaN is "none" and is left out),
     * and every value in the order measured, NaN included.
     */
    public record Spread(double median, double min, double max, double[] samples) {

        public static Spread of(double[] values) {
            double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
            return new Spread(Statistics.median(sorted), lowest(sorted), highest(sorted), values.clone());
        }
    }

    /** Nearest-rank p50 and p99, and the max. */
    public record Percentiles(double p50, double p99, double max) {

        public static Percentiles of(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            return new Percentiles(percentile(sorted, 50), percentile(sorted, 99), highest(sorted));
        }
    }

    /** The median of sorted values: the middle one, or the mean of the two middle ones. */
    public static double median(double[] sorted) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Nearest-rank percentile of sorted values: the smallest value with at least p% of them at or below it. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double lowest(double[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    private static double highest(double[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
