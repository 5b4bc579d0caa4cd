package com.flexwebchat.shared.twilio;

import java.time.Duration;

/**
 * One invocation's time: when it must have its answer, and how much of it went waiting on
 * Twilio. Set by the HTTP adapter from the Lambda context's remaining time (less a margin for
 * writing the response), read by {@link TwilioTransport} so no Twilio call outlives the function:
 * a call that cannot finish in time is not started, and one in flight is cut off when the budget
 * runs out.
 */
public final class Deadline {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final long nanoTime;
    private long twilioNanos;

    private Deadline(long nanoTime) {
        this.nanoTime = nanoTime;
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    public Duration remaining() {
        return Duration.ofNanos(nanoTime - System.nanoTime());
    }

    /** Time this invocation spent waiting for Twilio's answers. */
    public Duration twilioTime() {
        return Duration.ofNanos(twilioNanos);
    }

    void addTwilioTime(long nanos) {
        twilioNanos += nanos;
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
