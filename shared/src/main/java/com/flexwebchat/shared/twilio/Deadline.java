package com.flexwebchat.shared.twilio;

import java.time.Duration;

/**
 * One invocation's time: when it must have its answer, and how much of it went waiting on
 * Twilio. Set by the HTTP adapter from the Lambda context's remaining time (less a margin for
 * writing the response), read by {@link TwilioTransport} so no Twilio call outlives the function:
 * a call that cannot finish in time is not started, and one in flight is cut off when the budget
 * runs out.
 *
 * <p>The current deadline is per thread. Work an invocation hands to another thread (see
 * {@link Concurrently}) runs under the same deadline through {@link #run}, so its Twilio calls
 * share the invocation's budget and their time is counted with the rest; the count is therefore
 * safe to add to from several threads at once.
 */
public final class Deadline {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final long nanoTime;
    private final Deadline outer;
    /** Wall-clock time with at least one Twilio call in flight: calls made concurrently count once. */
    private long twilioNanos;
    private int callsInFlight;
    private long inFlightSince;

    private Deadline(long nanoTime, Deadline outer) {
        this.nanoTime = nanoTime;
        this.outer = outer;
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos(), null);
    }

    /**
     * A shorter deadline inside the current one (or a standalone one outside an invocation): for
     * work that must give up sooner than the invocation, such as a webhook's optional lookups.
     * Its Twilio time counts toward the invocation's too.
     */
    public static Deadline within(Duration budget) {
        Deadline current = CURRENT.get();
        long end = System.nanoTime() + budget.toNanos();
        return new Deadline(current == null ? end : Math.min(end, current.nanoTime), current);
    }

    /** Runs {@code work} under this deadline, then puts back the one that was current. */
    public <T> T run(java.util.function.Supplier<T> work) {
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

    /** Time this invocation spent waiting for Twilio's answers (overlapping calls counted once). */
    public synchronized Duration twilioTime() {
        long open = callsInFlight > 0 ? System.nanoTime() - inFlightSince : 0;
        return Duration.ofNanos(twilioNanos + open);
    }

    /** A Twilio call starts; with {@link #twilioCallEnded()}, on this deadline and those it is nested in. */
    void twilioCallStarted() {
        long now = System.nanoTime();
        for (Deadline deadline = this; deadline != null; deadline = deadline.outer) {
            synchronized (deadline) {
                if (deadline.callsInFlight++ == 0) {
                    deadline.inFlightSince = now;
                }
            }
        }
    }

    void twilioCallEnded() {
        long now = System.nanoTime();
        for (Deadline deadline = this; deadline != null; deadline = deadline.outer) {
            synchronized (deadline) {
                if (--deadline.callsInFlight == 0) {
                    deadline.twilioNanos += now - deadline.inFlightSince;
                }
            }
        }
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
