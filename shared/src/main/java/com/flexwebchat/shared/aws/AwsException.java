package com.flexwebchat.shared.aws;

/**
 * An AWS call that did not give its answer. The message names what failed and, for an AWS error,
 * the HTTP status and AWS's error type; it never quotes a key, a token, a signature or AWS's own
 * message (for a signature mismatch that message contains the canonical request, session token
 * included).
 */
public final class AwsException extends RuntimeException {

    private final int status;
    private final String errorType;

    public AwsException(String message) {
        this(message, 0, null, null);
    }

    public AwsException(String message, Throwable cause) {
        this(message, 0, null, cause);
    }

    AwsException(String message, int status, String errorType, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorType = errorType;
    }

    /** AWS's HTTP status, or 0 when AWS gave no answer. */
    public int status() {
        return status;
    }

    /** AWS's error type ({@code AccessDeniedException}, ...), or null. */
    public String errorType() {
        return errorType;
    }
}
