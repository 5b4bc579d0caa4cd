package com.flexwebchat.emulator.http;

import com.flexwebchat.emulator.RecordedRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Every request answered, in arrival order, for tests to inspect. */
public final class Journal {

    private final List<RecordedRequest> entries = new ArrayList<>();

    synchronized void add(RecordedRequest request) {
        entries.add(request);
    }

    public synchronized List<RecordedRequest> all() {
        return List.copyOf(entries);
    }

    /** Requests whose method equals {@code method} (any when {@code null}) and whose whole path matches the regex. */
    public synchronized List<RecordedRequest> matching(String method, String pathRegex) {
        Pattern path = Pattern.compile(pathRegex);
        return entries.stream()
                .filter(r -> method == null || r.method().equalsIgnoreCase(method))
                .filter(r -> path.matcher(r.path()).matches())
                .toList();
    }

    public synchronized void clear() {
        entries.clear();
    }
}
