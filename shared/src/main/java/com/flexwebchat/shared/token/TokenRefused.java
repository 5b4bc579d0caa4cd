package com.flexwebchat.shared.token;

/** A presented token is not one we issued or no longer counts. The reason goes to the log, never to the caller. */
public final class TokenRefused extends RuntimeException {

    public enum Reason {
        MALFORMED, UNSUPPORTED_ALGORITHM, BAD_SIGNATURE, ANOTHER_API_KEY, ANOTHER_ACCOUNT,
        ANOTHER_SERVICE, NO_IDENTITY, NOT_YET_VALID, EXPIRED, CHAT_ENDED
    }

    private final Reason reason;

    public TokenRefused(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
