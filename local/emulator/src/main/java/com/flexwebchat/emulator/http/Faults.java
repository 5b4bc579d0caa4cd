package com.flexwebchat.emulator.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Failures and delays that tests arm for the next matching requests. A rule matches on the HTTP method
 * ({@code null} for any) and on the whole request path (a regex, e.g. {@code /conversations/v1/Conversations/.+}),
 * and is used up after {@code times} matches.
 */
public final class Faults {

    private static final class Rule<T> {
        final String method;
        final Pattern path;
        final T effect;
        int remaining;

        Rule(String method, String pathRegex, T effect, int times) {
            if (times < 1) {
                throw new IllegalArgumentException("times must be at least 1: " + times);
            }
            this.method = method;
            this.path = Pattern.compile(pathRegex);
            this.effect = effect;
            this.remaining = times;
        }

        boolean matches(String requestMethod, String requestPath) {
            return (method == null || method.equalsIgnoreCase(requestMethod)) && path.matcher(requestPath).matches();
        }
    }

    /** An injected error: HTTP status and Twilio error code. */
    record Failure(int status, int code) {
    }

    private final List<Rule<Failure>> failures = new ArrayList<>();
    private final List<Rule<Duration>> delays = new ArrayList<>();

    public synchronized void failNext(String method, String pathRegex, int status, int code, int times) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an injected failure needs an error status (4xx/5xx): " + status);
        }
        failures.add(new Rule<>(method, pathRegex, new Failure(status, code), times));
    }

    public synchronized void delayNext(String method, String pathRegex, Duration delay, int times) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        delays.add(new Rule<>(method, pathRegex, delay, times));
    }

    synchronized Optional<Failure> takeFailure(String method, String path) {
        return take(failures, method, path);
    }

    synchronized Optional<Duration> takeDelay(String method, String path) {
        return take(delays, method, path);
    }

    public synchronized void clear() {
        failures.clear();
        delays.clear();
    }

    private static <T> Optional<T> take(List<Rule<T>> rules, String method, String path) {
        for (Iterator<Rule<T>> it = rules.iterator(); it.hasNext(); ) {
            Rule<T> rule = it.next();
            if (rule.matches(method, path)) {
                if (--rule.remaining == 0) {
                    it.remove();
                }
                return Optional.of(rule.effect);
            }
        }
        return Optional.empty();
    }
}
