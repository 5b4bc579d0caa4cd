package com.flexwebchat.shared.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * N calls released at the same moment: each on its own thread, all waiting at a barrier until the
 * last one is ready, so they overlap as a real burst of requests (or of webhook deliveries) does.
 */
public final class Burst {

    private Burst() {
    }

    /** The results, in the order of {@code i}; a call that threw fails the test with its exception. */
    public static <T> List<T> of(int n, IntFunction<T> call) {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return call.apply(index);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            throw new AssertionError("a call of the burst failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("the burst did not complete: " + e, e);
        } finally {
            threads.shutdownNow();
        }
    }
}
