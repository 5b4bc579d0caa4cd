package com.flexwebchat.shared.http;

import com.flexwebchat.shared.invocation.DeadlineExceeded;
import com.flexwebchat.shared.twilio.TwilioFailure;

/**
 * An error answered to the caller: HTTP status, a stable machine-readable code and a message
 * that is safe to show (it never contains a secret, a token or a visitor's data). Errors are
 * values with a status, thrown from the service layer and turned into
 * {@code {"error": {"code", "message"}}} by {@link ApiGatewayAdapter}.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;
    private final long retryAfterSeconds;

    private ApiError(int status, String code, String message, String field, Throwable cause) {
        this(status, code, message, field, cause, 0);
    }

    private ApiError(int status, String code, String message, String field, Throwable cause, long retryAfterSeconds) {
        super(message, cause, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message, null, null);
    }

    /** A 400 that names the offending field, so the widget's developer sees what to fix. */
    public static ApiError invalidField(String field, String message) {
        return new ApiError(400, "invalid_field", message, field, null);
    }

    public static ApiError payloadTooLarge(String message) {
        return new ApiError(413, "payload_too_large", message, null, null);
    }

    public static ApiError forbidden(String code, String message) {
        return new ApiError(403, code, message, null, null);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, null, null);
    }

    /** A 404 with a code a caller can branch on (a Studio flow, for example). */
    public static ApiError notFound(String code, String message) {
        return new ApiError(404, code, message, null, null);
    }

    /** The resource exists but its state forbids the request (409). */
    public static ApiError conflict(String code, String message) {
        return new ApiError(409, code, message, null, null);
    }

    /** Over a limit (429 {@code rate_limited}), answered with {@code Retry-After}: the seconds until it resets. */
    public static ApiError rateLimited(String message, long retryAfterSeconds) {
        return new ApiError(429, "rate_limited", message, null, null, Math.max(1, retryAfterSeconds));
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "method_not_allowed", message, null, null);
    }

    public static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "unsupported_media_type", message, null, null);
    }

    /**
     * The one mapping of a Twilio failure to an answer: Twilio answered with an error, so our
     * upstream failed (502 {@code twilio_error}); or it did not answer within this invocation's
     * budget (504 {@code twilio_timeout}).
     */
    public static ApiError of(TwilioFailure failure) {
        return failure.answered()
                ? new ApiError(502, "twilio_error", failure.getMessage(), null, failure)
                : new ApiError(504, "twilio_timeout", failure.getMessage(), null, failure);
    }

    /** Work of the invocation ran past its deadline (504): whatever it waited on, it was Twilio's answer. */
    public static ApiError of(DeadlineExceeded exceeded) {
        return new ApiError(504, "twilio_timeout", "Twilio did not answer within the function's time", null, exceeded);
    }

    /** Another service we depend on failed (502) or did not answer in time (504), with a code of its own. */
    public static ApiError upstream(int status, String code, String message) {
        return new ApiError(status, code, message, null, null);
    }

    public static ApiError internal(String message, Throwable cause) {
        return new ApiError(500, "internal_error", message, null, cause);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds after which the request may succeed (429), else 0. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
