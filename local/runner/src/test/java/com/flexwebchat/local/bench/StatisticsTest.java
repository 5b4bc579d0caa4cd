package com.flexwebchat.local.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.local.bench.Statistics.Percentiles;
import com.flexwebchat.local.bench.Statistics.Spread;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    private static double[] oneToHundred() {
        double[] values = new double[100];
        for (int i = 0; i < 100; i++) {
            values[i] = i + 1;
        }
        return values;
    }

    @Test
    void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertEquals(3, Statistics.median(new double[] {1, 2, 3, 4, 5}));
        assertEquals(2.5, Statistics.median(new double[] {1, 2, 3, 4}));
        assertEquals(7, Statistics.median(new double[] {7}));
        assertTrue(Double.isNaN(Statistics.median(new double[0])));
    }

    @Test
    void percentilesAreNearestRank() {
        double[] hundred = oneToHundred();
        assertEquals(50, Statistics.percentile(hundred, 50));
        assertEquals(99, Statistics.percentile(hundred, 99));
        assertEquals(100, Statistics.percentile(hundred, 100));
        assertEquals(1, Statistics.percentile(hundred, 0));
        assertEquals(7, Statistics.percentile(new double[] {7}, 99));
        // Ten values: p50 is the 5th, p99 the 10th (rank ceil(9.9)).
        assertEquals(5, Statistics.percentile(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 50));
        assertEquals(10, Statistics.percentile(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 99));
        assertTrue(Double.isNaN(Statistics.percentile(new double[0], 50)));
    }

    @Test
    void aSpreadSortsForItsFiguresAndKeepsTheSamplesAsMeasured() {
        Spread spread = Spread.of(new double[] {30, 10, 20, 40});

        assertEquals(25, spread.median());
        assertEquals(10, spread.min());
        assertEquals(40, spread.max());
        assertArrayEquals(new double[] {30, 10, 20, 40}, spread.samples());
    }

    @Test
    void aSpreadLeavesOutMissingMeasurementsButKeepsTheirPlace() {
        Spread spread = Spread.of(new double[] {5, Double.NaN, 1});

        assertEquals(3, spread.median());
        assertEquals(1, spread.min());
        assertEquals(5, spread.max());
        assertEquals(3, spread.samples().length);
        assertTrue(Double.isNaN(spread.samples()[1]));

        Spread none = Spread.of(new double[] {Double.NaN});
        assertTrue(Double.isNaN(none.median()) && Double.isNaN(none.min()) && Double.isNaN(none.max()));
    }

    @Test
    void percentilesOfUnsortedValues() {
        double[] shuffled = {100, 3, 50, 1, 99, 2};
        Percentiles percentiles = Percentiles.of(shuffled);

        assertEquals(3, percentiles.p50());
        assertEquals(100, percentiles.p99());
        assertEquals(100, percentiles.max());
        assertArrayEquals(new double[] {100, 3, 50, 1, 99, 2}, shuffled, "the caller's values are not sorted in place");

        Percentiles none = Percentiles.of(new double[0]);
        assertTrue(Double.isNaN(none.p50()) && Double.isNaN(none.p99()) && Double.isNaN(none.max()));
    }
}
