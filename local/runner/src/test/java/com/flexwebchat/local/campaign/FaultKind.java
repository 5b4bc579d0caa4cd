package com.flexwebchat.local.campaign;

import com.flexwebchat.emulator.Fault;
import java.time.Duration;

/**
 * The faults the campaign puts at each Twilio call: Twilio's errors (a 5xx, also on the read's one
 * retry; a 429 once, which the transport retries; 401; 404), an answer that never comes, one that
 * comes late but within the function's time, one whose body is cut, and a connection closed without
 * an answer. What each may lead to: {@link #harmless()} ones must leave the answer as it is without
 * them; the others may also turn it into {@link #errorCode()}.
 */
enum FaultKind {

    ERROR_500("500", 2),
    RATE_LIMITED("429", 1),
    UNAUTHORIZED("401", 1),
    NOT_FOUND("404", 1),
    NO_ANSWER("no answer", 1),
    SLOW("slow", 1),
    GARBLED("garbled", 1),
    DROPPED("dropped", 1);

    /** Inside every function's time, with room for the rest of the route. */
    static final Duration SLOW_ANSWER = Duration.ofMillis(400);

    final String label;
    /** Requests of the same call (method and path) it applies to from the chosen one on: 2 for a 5xx reaches a read's retry. */
    final int times;

    FaultKind(String label, int times) {
        this.label = label;
        this.times = times;
    }

    Fault fault() {
        return switch (this) {
            case ERROR_500 -> Fault.error(500, 20500);
            case RATE_LIMITED -> Fault.error(429, 20429);
            case UNAUTHORIZED -> Fault.error(401, 20003);
            case NOT_FOUND -> Fault.error(404, 20404);
            case NO_ANSWER -> Fault.noAnswer();
            case SLOW -> Fault.slow(SLOW_ANSWER);
            case GARBLED -> Fault.garbled();
            case DROPPED -> Fault.dropped();
        };
    }

    /** The route must answer exactly as without the fault: a late answer within the time, a 429 the transport retries. */
    boolean harmless() {
        return this == SLOW || this == RATE_LIMITED;
    }

    /** Twilio may have carried the request out, and the client cannot tell: a write must not be sent again. */
    boolean outcomeUnknown() {
        return this == ERROR_500 || this == NO_ANSWER || this == GARBLED || this == DROPPED;
    }

    /** The error this fault may turn the answer into: Twilio did not answer ({@code twilio_timeout}), or answered wrong. */
    String errorCode() {
        return this == NO_ANSWER || this == DROPPED ? "504 twilio_timeout" : "502 twilio_error";
    }

    @Override
    public String toString() {
        return label;
    }
}
