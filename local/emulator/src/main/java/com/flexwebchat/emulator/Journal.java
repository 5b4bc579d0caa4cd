package com.flexwebchat.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Every request answered, in arrival order, for tests to inspect. */
final class Journal {

    private final List<RecordedRequest> entries = new ArrayList<>();

    synchronized void add(RecordedRequest request) {
        entries.add(request);
    }

    synchronized List<RecordedRequest> all() {
        return List.copyOf(entries);
    }

    /** Requests whose method equals {@code method} (any when {@code null}) and whose whole path matches the regex. */
    synchronized List<RecordedRequest> matching(String method, String pathRegex) {
        Pattern path = Pattern.compile(pathRegex);
        return entries.stream()
                .filter(r -> method == null || r.method().equalsIgnoreCase(method))
                .filter(r -> path.matcher(r.path()).matches())
                .toList();
    }

    synchronized void clear() {
        entries.clear();
    }
}
