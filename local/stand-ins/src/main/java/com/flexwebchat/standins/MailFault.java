package com.flexwebchat.standins;

/** What a mail stand-in does instead of answering, for the next requests it is told to ({@code failNext}). */
public enum MailFault {
    /** 429: SES's {@code TooManyRequestsException} (its sending rate), SendGrid's rate limit. Nothing is sent. */
    THROTTLED,
    /** 500: SES's {@code InternalFailure}, SendGrid's internal error. Nothing is captured. */
    SERVER_ERROR,
    /** SES only: 400 {@code SendingPausedException}, the account's or configuration set's sending paused. */
    SENDING_PAUSED,
    /** 403: SES's {@code AccessDeniedException} (IAM denies {@code ses:SendEmail}), SendGrid's "access forbidden". */
    ACCESS_DENIED,
    /**
     * A success status with a body that cannot be read: SES 200 with an HTML page; SendGrid (whose success has no
     * body) a 502 HTML page from its proxy.
     */
    UNREADABLE_ANSWER,
    /** The request is read and never answered, until the client gives up or the stand-in closes. */
    NO_ANSWER,
    /** The request is read, then the connection is closed without an answer. */
    DROPPED
}
