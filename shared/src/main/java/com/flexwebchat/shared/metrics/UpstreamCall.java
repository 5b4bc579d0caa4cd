package com.flexwebchat.shared.metrics;

/**
 * One call to a service the invocation depends on (Twilio, the store, the mail provider), as the
 * metrics count it; {@code shared.invocation.UpstreamTime} records them.
 *
 * @param upstream  {@code twilio}, {@code store}, {@code mail}, {@code captcha}
 * @param operation what the call did, a fixed name ("read the conversation", "GetItem", "ses"), or null
 * @param millis   how long it took
 * @param status   the HTTP status it was answered with, or 0 when it got no answer
 */
public record UpstreamCall(String upstream, String operation, double millis, int status) {

    /** The services an invocation waits on, by the names {@code UpstreamTime} and the metrics know them. */
    public static final String TWILIO = "twilio";
    public static final String STORE = "store";
    public static final String MAIL = "mail";

    /** No answer, or a 5xx: the service failed us (a 4xx is an answer about the request). */
    public boolean failed() {
        return status == 0 || status >= 500;
    }

    public boolean throttled() {
        return status == 429;
    }
}
