package com.flexwebchat.shared.invocation;

/** Work of the invocation did not finish before its {@link Deadline}. */
public final class DeadlineExceeded extends RuntimeException {

    public DeadlineExceeded(String message, Throwable cause) {
        super(message, cause);
    }
}
