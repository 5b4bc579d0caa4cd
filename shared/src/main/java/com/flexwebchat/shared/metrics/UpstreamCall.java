package com.flexwebchat.shared.metrics;

/**
 * One call to a service the invocation depends on (Twilio, the store, the mail provider), as the
 * metrics count it; {@code shared.invocation.UpstreamTime} records them.
 *
 * @param upstream {@code twilio}, {@code store}, {@code mail}, {@code captcha}
 * @param millis   how long it took
 * @param status   the HTTP status it was answered with, or 0 when it got no answer
 */
public record UpstreamCall(String upstream, double millis, int status) {

    /** No answer, or a 5xx: the service failed us (a 4xx is an answer about the request). */
    public boolean failed() {
        return status == 0 || status >= 500;
    }

    public boolean throttled() {
        return status == 429;
    }
}
