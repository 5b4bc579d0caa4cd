package com.flexwebchat.shared.twilio;

/**
 * A Twilio call that did not give its answer: Twilio answered with an error ({@link #answered()}:
 * its HTTP status and error code are kept), or it did not answer in time or could not be reached.
 * The message says what we were doing; it never carries Twilio's message, which can echo what we
 * sent. The HTTP layer maps it to 502 or 504.
 */
public final class TwilioFailure extends RuntimeException {

    private final boolean answered;
    private final Integer twilioStatus;
    private final Integer twilioCode;

    private TwilioFailure(String message, boolean answered, Integer twilioStatus, Integer twilioCode, Throwable cause) {
        super(message, cause, false, false);
        this.answered = answered;
        this.twilioStatus = twilioStatus;
        this.twilioCode = twilioCode;
    }

    static TwilioFailure errorAnswer(String operation, Integer twilioStatus, Integer twilioCode, Throwable cause) {
        return new TwilioFailure("Twilio could not " + operation, true, twilioStatus, twilioCode, cause);
    }

    static TwilioFailure noAnswer(String operation, Throwable cause) {
        return new TwilioFailure("Twilio did not answer in time to " + operation, false, null, null, cause);
    }

    /** Twilio answered, with an error; false when it did not answer in time or could not be reached. */
    public boolean answered() {
        return answered;
    }

    /** Twilio's HTTP status when it answered, else null. */
    public Integer twilioStatus() {
        return twilioStatus;
    }

    /** Twilio's error code (e.g. 20404) when it gave one, else null. */
    public Integer twilioCode() {
        return twilioCode;
    }
}
