package com.flexwebchat.shared.invocation;

import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Two pieces of an invocation's work at once, both finished before it goes on: for independent
 * Twilio calls whose round trips need not add up (at {@code /initWebchat}, the conversation's
 * timers beside the opening messages). A Lambda must not leave work running once the handler has
 * returned, since the environment is frozen until the next request
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html), so this always
 * joins: it returns (or throws) only when both are done.
 *
 * <p>{@code first} runs on the calling thread; {@code alongside} on a small pool of daemon
 * threads built once per JVM (so once per cold start, and restored as they are from a SnapStart
 * snapshot), under the caller's {@link Deadline}, {@link UpstreamTime}, {@link Metrics} and {@link Log} context,
 * all of which are per thread. When every pool thread is busy (several handlers running in one JVM,
 * as the local runner does) {@code alongside} runs on the calling thread before {@code first}:
 * slower, never stuck.
 *
 * <p>Failures: both pieces always run to their end; then {@code first}'s exception is thrown
 * (with {@code alongside}'s, if any, suppressed into it), else {@code alongside}'s. Work that
 * must not fail the caller catches its own exceptions. Work still running at the deadline is
 * interrupted and {@link DeadlineExceeded} thrown.
 */
public final class Concurrently {

    /** Lambda runs one request per environment; a few threads cover the local runner's parallel requests too. */
    private static final int THREADS = 4;
    /** Past the deadline, the work alongside has this long to notice (its Twilio calls are cut off at the deadline). */
    private static final Duration JOIN_GRACE = Duration.ofMillis(500);
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());

    private Concurrently() {
    }

    /** Runs {@code first} here and {@code alongside} on another thread at the same time; returns when both are done. */
    public static void run(Runnable first, Runnable alongside) {
        supply(first, () -> {
            alongside.run();
            return null;
        });
    }

    /** As {@link #run}, answering what {@code alongside} supplied. */
    public static <T> T supply(Runnable first, Supplier<T> alongside) {
        Deadline deadline = Deadline.current();
        UpstreamTime upstreamTime = UpstreamTime.current();
        Metrics metrics = Metrics.current();
        Map<String, String> context = Log.context();
        Future<T> other = POOL.submit(() -> inCallersScope(deadline, upstreamTime, metrics, context, alongside));

        Throwable failure = null;
        try {
            first.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        T result = null;
        try {
            result = join(other, deadline);
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                failure = e;
            } else if (e != failure) {
                failure.addSuppressed(e);
            }
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        return result;
    }

    private static <T> T inCallersScope(Deadline deadline, UpstreamTime upstreamTime, Metrics metrics,
                                        Map<String, String> context, Supplier<T> work) {
        Supplier<T> counted = metrics == null ? work : () -> metrics.run(work);
        Supplier<T> timed = upstreamTime == null ? counted : () -> upstreamTime.run(counted);
        Object[] result = {null};
        Log.withContext(context, () -> result[0] = deadline == null ? timed.get() : deadline.run(timed));
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    private static <T> T join(Future<T> other, Deadline deadline) {
        try {
            if (deadline == null) {
                return other.get();
            }
            long waitNanos = Math.max(0, deadline.remaining().plus(JOIN_GRACE).toNanos());
            return other.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            other.cancel(true);
            throw new DeadlineExceeded("the work alongside did not finish within the function's time", e);
        } catch (InterruptedException e) {
            other.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeadlineExceeded("interrupted while waiting for the work alongside", e);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "concurrently-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
