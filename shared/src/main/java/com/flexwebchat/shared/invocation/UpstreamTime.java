package com.flexwebchat.shared.invocation;

import com.flexwebchat.shared.metrics.UpstreamCall;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * How long one invocation waited on each service it calls (Twilio, ...): the wall-clock time with
 * at least one call to it in flight, so calls made at the same time count once. The access log
 * reports it beside the total, which tells our own time from theirs. Per thread like the
 * {@link Deadline}; {@link Concurrently} carries it to the work it runs alongside, so the count is
 * safe to add to from several threads at once.
 */
public final class UpstreamTime {

    private static final ThreadLocal<UpstreamTime> CURRENT = new ThreadLocal<>();

    private final Map<String, InFlight> upstreams = new ConcurrentHashMap<>();
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private final Queue<UpstreamCall> calls = new ConcurrentLinkedQueue<>();
    /** Any call to any service in flight: the invocation's waiting, each moment counted once. */
    private final InFlight any = new InFlight();

    /** The invocation's, on this thread; null outside one. */
    public static UpstreamTime current() {
        return CURRENT.get();
    }

    public static void enter(UpstreamTime time) {
        CURRENT.set(time);
    }

    public static void exit() {
        CURRENT.remove();
    }

    /** Runs {@code work} with this as the thread's, then puts back what was there. */
    public <T> T run(Supplier<T> work) {
        UpstreamTime previous = CURRENT.get();
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

    /**
     * A call to {@code upstream} starts; {@link #callEnded} must follow, on any thread.
     *
     * @return when it started ({@link System#nanoTime}), for {@link #callEnded(String, long, int)}
     */
    public long callStarted(String upstream) {
        long now = System.nanoTime();
        upstreams.computeIfAbsent(upstream, u -> new InFlight()).started(now);
        any.started(now);
        return now;
    }

    public void callEnded(String upstream) {
        long now = System.nanoTime();
        upstreams.get(upstream).ended(now);
        any.ended(now);
    }

    /** The call that started at {@code started} ended with {@code status} (0: no answer), counted for the metrics. */
    public void callEnded(String upstream, long started, int status) {
        callEnded(upstream);
        calls.add(new UpstreamCall(upstream, (System.nanoTime() - started) / 1e6, status));
    }

    /** Every call counted so far, in the order they ended. */
    public List<UpstreamCall> calls() {
        return List.copyOf(calls);
    }

    /** Time with a call to any service in flight (a Twilio call beside a store call counted once). */
    public Duration waiting() {
        return any.total(System.nanoTime());
    }

    /**
     * {@code upstream} did not answer a call in this invocation (it timed out or refused the
     * connection): the invocation's later calls to it need not wait to find that out again.
     */
    public void unreachable(String upstream) {
        unreachable.add(upstream);
    }

    public boolean isUnreachable(String upstream) {
        return unreachable.contains(upstream);
    }

    /** Time spent waiting on {@code upstream} so far (overlapping calls counted once). */
    public Duration of(String upstream) {
        InFlight inFlight = upstreams.get(upstream);
        return inFlight == null ? Duration.ZERO : inFlight.total(System.nanoTime());
    }

    private static final class InFlight {
        private long nanos;
        private int calls;
        private long since;

        synchronized void started(long now) {
            if (calls++ == 0) {
                since = now;
            }
        }

        synchronized void ended(long now) {
            if (--calls == 0) {
                nanos += now - since;
            }
        }

        synchronized Duration total(long now) {
            return Duration.ofNanos(nanos + (calls > 0 ? now - since : 0));
        }
    }
}
