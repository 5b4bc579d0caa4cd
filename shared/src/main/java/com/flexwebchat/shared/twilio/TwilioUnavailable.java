package com.flexwebchat.shared.twilio;

/** Twilio did not answer in time (or could not be reached) within the invocation's budget. */
public final class TwilioUnavailable extends RuntimeException {

    public TwilioUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
