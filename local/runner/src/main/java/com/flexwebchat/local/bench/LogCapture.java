package com.flexwebchat.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Collects the functions' log lines without parsing them while a request is being timed. */
final class LogCapture extends OutputStream {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
        buffer.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
    }

    synchronized List<String> drain() {
        String text = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /**
     * The Twilio time ({@code twilioMillis}) of a function's "Request completed" log line, or
     * {@code otherwise} when the line is another one (or has none).
     */
    static double twilioMillis(String line, double otherwise) {
        return completedField(line, "twilioMillis", otherwise);
    }

    /**
     * The time with any call in flight ({@code waitingMillis}: Twilio, the store, the CAPTCHA
     * provider, overlapping calls once) of a function's "Request completed" log line, or {@code otherwise}.
     */
    static double waitingMillis(String line, double otherwise) {
        return completedField(line, "waitingMillis", otherwise);
    }

    /** The store time ({@code storeMillis}) of a function's "Request completed" log line, or {@code otherwise}. */
    static double storeMillis(String line, double otherwise) {
        return completedField(line, "storeMillis", otherwise);
    }

    private static double completedField(String line, String field, double otherwise) {
        if (!line.startsWith("{")) {
            return otherwise;
        }
        try {
            JsonNode log = JSON.readTree(line);
            return "Request completed".equals(log.path("message").asText())
                    ? log.path(field).asDouble(otherwise)
                    : otherwise;
        } catch (IOException e) {
            return otherwise;
        }
    }
}
