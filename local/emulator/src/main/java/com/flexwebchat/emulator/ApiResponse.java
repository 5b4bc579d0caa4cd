package com.flexwebchat.emulator;

import java.util.Map;

/** What an operation answers: an HTTP status, a JSON body ({@code null} for 204) and extra headers. */
record ApiResponse(int status, Object body, Map<String, String> headers) {

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    static ApiResponse created(Object body) {
        return new ApiResponse(201, body, Map.of());
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, Map.of());
    }
}
