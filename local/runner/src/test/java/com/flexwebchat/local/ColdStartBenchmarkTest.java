package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ColdStartBenchmarkTest {

    @Test
    void medianAndNearestRankPercentiles() {
        assertEquals(3, ColdStartBenchmark.median(new double[] {1, 2, 3, 4, 5}));
        assertEquals(2.5, ColdStartBenchmark.median(new double[] {1, 2, 3, 4}));
        assertTrue(Double.isNaN(ColdStartBenchmark.median(new double[0])));

        double[] hundred = new double[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertEquals(50, ColdStartBenchmark.percentile(hundred, 50));
        assertEquals(99, ColdStartBenchmark.percentile(hundred, 99));
        assertEquals(7, ColdStartBenchmark.percentile(new double[] {7}, 99));
    }
}
