package com.flexwebchat.shared.twilio;

import com.flexwebchat.shared.log.Log;

/**
 * A Twilio call that did not give its answer, in one of three ways ({@link Kind}): Twilio answered
 * with an error (its HTTP status and error code are kept); Twilio answered something the SDK could
 * not read (a cut or garbled body, an answer of the wrong shape); or no answer came in time (or
 * Twilio could not be reached, or the connection closed without one). The message says what we
 * were doing; it never carries Twilio's message or body, which can echo what we sent. The HTTP
 * layer maps it to 502 or 504 ({@code ApiError.of}).
 */
public final class TwilioFailure extends RuntimeException {

    /** How the call failed. */
    public enum Kind {
        /** Twilio answered with an error status (4xx, 5xx). */
        ERROR_ANSWER,
        /** Twilio answered, but not with anything the SDK could read as the answer. */
        UNREADABLE_ANSWER,
        /** No answer: a timeout, a refused or dropped connection, no time left to ask. */
        NO_ANSWER
    }

    private final Kind kind;
    private final Integer twilioStatus;
    private final Integer twilioCode;

    private TwilioFailure(String message, Kind kind, Integer twilioStatus, Integer twilioCode, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.twilioStatus = twilioStatus;
        this.twilioCode = twilioCode;
    }

    static TwilioFailure errorAnswer(String operation, Integer twilioStatus, Integer twilioCode, Throwable cause) {
        return new TwilioFailure("Twilio could not " + operation, Kind.ERROR_ANSWER, twilioStatus, twilioCode, cause);
    }

    static TwilioFailure unreadableAnswer(String operation, Throwable cause) {
        return new TwilioFailure("Twilio's answer could not be read to " + operation, Kind.UNREADABLE_ANSWER, null, null, cause);
    }

    static TwilioFailure noAnswer(String operation, Throwable cause) {
        return new TwilioFailure("Twilio did not answer in time to " + operation, Kind.NO_ANSWER, null, null, cause);
    }

    /**
     * An answer the SDK read, but that lacks what makes it the answer (a created chat without its
     * SID): as unreadable as a cut body.
     */
    public static TwilioFailure incompleteAnswer(String operation, String missing) {
        return new TwilioFailure("Twilio's answer to " + operation + " has no " + missing, Kind.UNREADABLE_ANSWER, null, null, null);
    }

    /** {@code value}, which an answer must carry to be the answer (a SID); else {@link #incompleteAnswer}. */
    public static String require(String operation, String field, String value) {
        if (value == null || value.isEmpty()) {
            Log.error("Twilio's answer is incomplete", "operation", operation, "missing", field);
            throw incompleteAnswer(operation, field);
        }
        return value;
    }

    public Kind kind() {
        return kind;
    }

    /** Twilio answered (with an error, or with something unreadable); false when no answer came. */
    public boolean answered() {
        return kind != Kind.NO_ANSWER;
    }

    /**
     * Whether Twilio may have carried the request out although we have no answer saying so: no
     * answer, an unreadable one, or a 5xx (Twilio may have done it before failing). A write that
     * failed this way must not be sent again unless repeating it is harmless.
     */
    public boolean outcomeUnknown() {
        return kind != Kind.ERROR_ANSWER || twilioStatus == null || twilioStatus >= 500;
    }

    /** Twilio's HTTP status when it answered with an error, else null. */
    public Integer twilioStatus() {
        return twilioStatus;
    }

    /** Twilio's error code (e.g. 20404) when it gave one, else null. */
    public Integer twilioCode() {
        return twilioCode;
    }
}
