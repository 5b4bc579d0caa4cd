package com.flexwebchat.shared.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.flexwebchat.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;

/**
 * One HTTP exchange with AWS, on a plain {@link HttpURLConnection} with {@code Connection: close}:
 * calls made once at cold start should leave no pooled connection or client thread in a SnapStart
 * snapshot. Bounded by {@link #CONNECT_TIMEOUT_MILLIS} and {@link #REQUEST_TIMEOUT_MILLIS}, so a
 * cold start cannot hang on AWS.
 */
final class AwsHttp {

    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** The read timeout: the longest wait for any part of the answer. */
    static final int REQUEST_TIMEOUT_MILLIS = 3_000;

    /** @param errorTypeHeader the {@code X-Amzn-ErrorType} header, or null ({@link AwsErrorType}) */
    record Response(int status, byte[] body, String errorTypeHeader) {
    }

    private AwsHttp() {
    }

    static HttpURLConnection open(URI uri, String method) throws IOException {
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not an http(s) URL");
        }
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        connection.setReadTimeout(REQUEST_TIMEOUT_MILLIS);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestProperty("Connection", "close");
        return connection;
    }

    /** Sends {@code body} (if any), reads the whole answer, and closes the connection. */
    static Response exchange(HttpURLConnection connection, byte[] body) throws IOException {
        try {
            if (body != null) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String errorType = connection.getHeaderField("X-Amzn-ErrorType");
            if (stream == null) {
                return new Response(status, new byte[0], errorType);
            }
            try (stream) {
                return new Response(status, stream.readAllBytes(), errorType);
            }
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Parses JSON. On failure the exception carries no cause: a parser's message quotes the text
     * it choked on, which here is a secret or a key.
     */
    static JsonNode parse(byte[] json, String whatWentWrong) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            throw new AwsException(whatWentWrong);
        }
    }

    /** Blank counts as unset: {@code sam local invoke} declares some variables empty. */
    static String value(Map<String, String> env, String key) {
        String value = env.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
