package com.flexwebchat.shared.mail;

import com.flexwebchat.shared.http.ApiError;

/**
 * An email the provider did not accept, in one of three ways ({@link Kind}), as {@code TwilioFailure} has
 * them: the provider answered with an error (its HTTP status and error code are kept: SES's error type such
 * as {@code MessageRejected}, SendGrid's error's {@code field} such as {@code from.email}); it answered
 * something unreadable; or no answer came in time. The message names the provider, the status and the code;
 * it never carries the provider's message or body, which echo the addresses (SES: "Email address is not
 * verified. The following identities failed the check in region US-EAST-1: a@b.c").
 */
public final class MailFailure extends RuntimeException {

    /** How the send failed. */
    public enum Kind {
        /** The provider answered with an error status (3xx, 4xx, 5xx). */
        ERROR_ANSWER,
        /** The provider answered success, but not in a form we could read (no message id, not JSON). */
        UNREADABLE_ANSWER,
        /** No answer: a timeout, a refused or dropped connection, or no time left to ask. */
        NO_ANSWER
    }

    private final String provider;
    private final Kind kind;
    private final Integer providerStatus;
    private final String providerCode;
    private final boolean sent;

    private MailFailure(String message, String provider, Kind kind, Integer providerStatus, String providerCode, boolean sent,
                        Throwable cause) {
        super(message, cause, false, false);
        this.provider = provider;
        this.kind = kind;
        this.providerStatus = providerStatus;
        this.providerCode = providerCode;
        this.sent = sent;
    }

    static MailFailure errorAnswer(String provider, int status, String code) {
        return new MailFailure(provider + " refused the email: HTTP " + status + (code == null ? "" : " " + code),
                provider, Kind.ERROR_ANSWER, status, code, true, null);
    }

    static MailFailure unreadableAnswer(String provider, int status, String what) {
        return new MailFailure(provider + " answered HTTP " + status + " " + what, provider, Kind.UNREADABLE_ANSWER, status,
                null, true, null);
    }

    /**
     * @param sent whether the request may have reached the provider: false when the connection was never made
     *             or the call was not started for lack of time
     */
    static MailFailure noAnswer(String provider, boolean sent, String why, Throwable cause) {
        return new MailFailure(provider + " did not answer: " + why, provider, Kind.NO_ANSWER, null, null, sent, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** {@code ses} or {@code sendgrid}. */
    public String provider() {
        return provider;
    }

    /** The provider answered (with an error, or with something unreadable); false when no answer came. */
    public boolean answered() {
        return kind != Kind.NO_ANSWER;
    }

    /**
     * Whether the email may have gone although no answer says so: a 5xx (the provider may have queued it before
     * failing), an unreadable success, or no answer to a request that was sent. The caller must not send it again
     * then: the visitor would get it twice. A 4xx, or a call never started or never connected, is known not sent.
     */
    public boolean outcomeUnknown() {
        return switch (kind) {
            case ERROR_ANSWER -> providerStatus >= 500;
            case UNREADABLE_ANSWER -> true;
            case NO_ANSWER -> sent;
        };
    }

    /** The provider's HTTP status when it answered, else null. */
    public Integer providerStatus() {
        return providerStatus;
    }

    /** The provider's error code when it gave a readable one, else null. */
    public String providerCode() {
        return providerCode;
    }

    /**
     * The answer for the caller: the provider answered with an error or something unreadable, so our upstream
     * failed (502 {@code mail_error}); or it did not answer in time (504 {@code mail_timeout}). Its message says
     * whether to try again or that the email may still arrive ({@link #outcomeUnknown()}).
     */
    public ApiError toApiError() {
        String advice = outcomeUnknown() ? "; it may still arrive" : "; try again later";
        return answered()
                ? ApiError.upstream(502, "mail_error", "The email could not be sent" + advice)
                : ApiError.upstream(504, "mail_timeout", "The email service did not answer in time" + advice);
    }
}
