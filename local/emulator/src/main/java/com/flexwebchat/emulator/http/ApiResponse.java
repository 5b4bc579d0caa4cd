package com.flexwebchat.emulator.http;

import java.util.Map;

/**
 * What an operation answers: an HTTP status, a body and extra headers. The body is written as JSON, but for
 * {@code null} (204) and a {@code byte[]}, which goes out as it is, with the {@code Content-Type} of the headers
 * ({@link #file}).
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body, Map.of());
    }

    /** A file (or any body that is not Twilio's JSON): {@code content} as it is, as {@code contentType}. */
    public static ApiResponse file(int status, byte[] content, String contentType) {
        return new ApiResponse(status, content, Map.of("Content-Type", contentType));
    }

    /** Whether the body goes out as it is rather than as JSON. */
    public boolean isFile() {
        return body instanceof byte[];
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }
}
