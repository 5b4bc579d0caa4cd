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

    /**
     * A deadline inside the current one that keeps {@code reserve} back for what must follow the
     * work whichever way it goes (giving a claim back, closing what was half made), or half the
     * time left when that is less: a short budget is shared, never spent on the first step alone.
     * Outside an invocation, the current deadline (none).
     */
    public static Deadline keepingBack(Duration reserve) {
        Deadline current = CURRENT.get();
        if (current == null) {
            return null;
        }
        long remaining = current.nanoTime - System.nanoTime();
        long kept = Math.min(reserve.toNanos(), remaining / 2);
        return new Deadline(current.nanoTime - kept);
    }

    /** Runs {@code work} under {@link #keepingBack keepingBack(reserve)}. */
    public static <T> T keepingBack(Duration reserve, Supplier<T> work) {
        Deadline shorter = keepingBack(reserve);
        return shorter == null ? work.get() : shorter.run(work);
    }

    /** Runs {@code work} under {@link #keepingBack keepingBack(reserve)}. */
    public static void keepingBack(Duration reserve, Runnable work) {
        keepingBack(reserve, () -> {
            work.run();
            return null;
        });
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
