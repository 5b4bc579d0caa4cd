package com.flexwebchat.shared.invocation;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * When one invocation must have its answer. Set by the HTTP adapter from the Lambda context's
 * remaining time (less a margin for writing the response), read by every remote call so none
 * outlives the function: a call that cannot finish in time is not started, and one in flight is
 * cut off when the budget runs out.
 *
 * <p>The current deadline is per thread. Work an invocation hands to another thread (see
 * {@link Concurrently}) runs under the same deadline through {@link #run}.
 */
public final class Deadline {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final long nanoTime;

    private Deadline(long nanoTime) {
        this.nanoTime = nanoTime;
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /**
     * A shorter deadline inside the current one (or a standalone one outside an invocation): for
     * work that must give up sooner than the invocation, such as a webhook's optional lookups.
     */
    public static Deadline within(Duration budget) {
        Deadline current = CURRENT.get();
        long end = System.nanoTime() + budget.toNanos();
        return new Deadline(current == null ? end : Math.min(end, current.nanoTime));
    }

    /** Runs {@code work} under this deadline, then puts back the one that was current. */
    public <T> T run(Supplier<T> work) {
        Deadline previous = CURRENT.get();
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

    /** Runs {@code work} under this deadline, then puts back the one that was current. */
    public void run(Runnable work) {
        run(() -> {
            work.run();
            return null;
        });
    }

    public Duration remaining() {
        return Duration.ofNanos(nanoTime - System.nanoTime());
    }

    /** The deadline of the invocation running on this thread, or null outside one. */
    public static Deadline current() {
        return CURRENT.get();
    }

    public static void enter(Deadline deadline) {
        CURRENT.set(deadline);
    }

    public static void exit() {
        CURRENT.remove();
    }
}
