package com.flexwebchat.shared.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {

    @AfterEach
    void clean() {
        Deadline.exit();
        UpstreamTime.exit();
        Log.end();
    }

    @Test
    void bothRunAtTheSameTime() {
        // Each waits for the other: only passes when they really overlap.
        CyclicBarrier bothStarted = new CyclicBarrier(2);
        Concurrently.run(() -> await(bothStarted), () -> await(bothStarted));
    }

    @Test
    void returnsOnlyWhenTheWorkAlongsideIsDone() {
        AtomicBoolean done = new AtomicBoolean();
        Concurrently.run(() -> { }, () -> {
            sleep(200);
            done.set(true);
        });
        assertTrue(done.get());
    }

    @Test
    void theWorkAlongsideRunsUnderTheCallersDeadlineAndLogContext() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(5));
        Deadline.enter(deadline);
        Log.begin("req-1");
        Log.put("conversationSid", "CH1");
        AtomicReference<Deadline> seen = new AtomicReference<>();
        AtomicReference<Map<String, String>> context = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();

        try (LogCapture logs = new LogCapture()) {
            Concurrently.run(() -> { }, () -> {
                seen.set(Deadline.current());
                context.set(Log.context());
                thread.set(Thread.currentThread().getName());
                Log.info("alongside");
            });
            JsonNode line = logs.lines().get(0);
            assertEquals("req-1", line.get("requestId").asText());
            assertEquals("CH1", line.get("conversationSid").asText());
        }
        assertSame(deadline, seen.get());
        assertEquals(Map.of("requestId", "req-1", "conversationSid", "CH1"), context.get());
        assertTrue(thread.get().startsWith("concurrently-"), thread.get());
        assertSame(deadline, Deadline.current(), "the caller's deadline stays");

        // The pool thread keeps nothing of that invocation.
        Deadline.exit();
        UpstreamTime.exit();
        Log.end();
        Concurrently.run(() -> { }, () -> {
            seen.set(Deadline.current());
            context.set(Log.context());
        });
        assertNull(seen.get());
        assertEquals(Map.of(), context.get());
    }

    @Test
    void twilioCallsOnBothThreadsCountForTheInvocationOnceWhereTheyOverlap() {
        Deadline.enter(Deadline.after(Duration.ofSeconds(5)));
        UpstreamTime time = new UpstreamTime();
        UpstreamTime.enter(time);
        Runnable call = () -> {
            UpstreamTime.current().callStarted("twilio");
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                UpstreamTime.current().callEnded("twilio");
            }
        };
        Concurrently.run(call, call);
        long millis = time.of("twilio").toMillis();
        assertTrue(millis >= 58 && millis < 110, millis + " ms: two 60 ms calls side by side");
    }

    @Test
    void suppliesWhatTheWorkAlongsideReturns() {
        assertEquals("found", Concurrently.supply(() -> { }, () -> "found"));
    }

    @Test
    void aFailureAlongsideIsThrownAfterTheFirstHasFinished() {
        AtomicBoolean firstFinished = new AtomicBoolean();
        IllegalStateException failure = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Concurrently.run(() -> {
            sleep(100);
            firstFinished.set(true);
        }, () -> {
            throw failure;
        }));
        assertSame(failure, thrown);
        assertTrue(firstFinished.get());
    }

    @Test
    void aFailureOfTheFirstWaitsForTheWorkAlongsideAndWins() {
        AtomicBoolean alongsideFinished = new AtomicBoolean();
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Concurrently.run(() -> {
            throw first;
        }, () -> {
            sleep(100);
            alongsideFinished.set(true);
            throw new IllegalArgumentException("alongside");
        }));
        assertSame(first, thrown);
        assertTrue(alongsideFinished.get(), "the work alongside ran to its end before the failure was thrown");
        assertEquals("alongside", thrown.getSuppressed()[0].getMessage());
    }

    @Test
    void workPastTheDeadlineIsCutOffAsATimeout() {
        Deadline.enter(Deadline.after(Duration.ofMillis(100)));
        AtomicBoolean interrupted = new AtomicBoolean();
        long started = System.nanoTime();
        assertThrows(DeadlineExceeded.class, () -> Concurrently.run(() -> { }, () -> {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }));
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2));
        sleep(100);
        assertTrue(interrupted.get(), "the late work was interrupted, not left running");
    }

    @Test
    void manyCallersAtOnceAllFinishEvenWithThePoolBusy() throws Exception {
        int callers = 12;
        ExecutorService requests = Executors.newFixedThreadPool(callers);
        List<String> finished = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String name = "caller-" + i;
                futures.add(requests.submit(() -> Concurrently.run(() -> sleep(100), () -> {
                    sleep(100);
                    finished.add(name);
                })));
            }
            for (Future<?> future : futures) {
                future.get(5, TimeUnit.SECONDS);
            }
        } finally {
            requests.shutdownNow();
        }
        assertEquals(callers, finished.size());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the two pieces of work did not run at the same time", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
