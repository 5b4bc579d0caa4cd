package com.flexwebchat.emulator.http;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An OpenAPI-style path template such as {@code /v1/Conversations/{ConversationSid}/Messages}. */
public final class PathTemplate {

    private final String text;
    private final List<String> segments;
    private final int literalSegments;

    public PathTemplate(String text) {
        this.text = text;
        this.segments = split(text);
        this.literalSegments = (int) segments.stream().filter(s -> !isParameter(s)).count();
    }

    String text() {
        return text;
    }

    /** How many segments are fixed text; a template with more of them is the more specific match. */
    public int literalSegments() {
        return literalSegments;
    }

    /** The path parameters when {@code path} matches this template. */
    public Optional<Map<String, String>> match(String path) {
        List<String> actual = split(path);
        if (actual.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String expected = segments.get(i);
            String value = actual.get(i);
            if (isParameter(expected)) {
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                params.put(expected.substring(1, expected.length() - 1), value);
            } else if (!expected.equals(value)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    private static List<String> split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return Arrays.asList(trimmed.split("/", -1));
    }
}
