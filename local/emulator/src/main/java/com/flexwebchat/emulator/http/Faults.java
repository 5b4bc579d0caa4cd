package com.flexwebchat.emulator.http;

import com.flexwebchat.emulator.Fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@link Fault}s that tests arm for coming requests. A rule matches on the HTTP method ({@code null} for any) and
 * on the whole request path (a regex, e.g. {@code /conversations/v1/Conversations/.+}); it lets the first
 * {@code skip} matching requests pass (so "the n-th matching request" is {@code skip = n - 1}), then applies to
 * the next {@code times}, and is used up. Every matching request counts toward every rule's skip, whichever rule
 * applies to it. A {@link Fault.Slow} delay and one other fault can both apply to a request (kept in two lists);
 * of the others, the first rule armed that is due applies.
 *
 * <p>Requests held by {@link Fault.NoAnswer} wait on a latch that {@link #clear()} opens, so a reset lets them go.
 */
public final class Faults {

    private static final class Rule<T> {
        final String method;
        final Pattern path;
        final T effect;
        int skip;
        int remaining;

        Rule(String method, String pathRegex, T effect, int skip, int times) {
            if (times < 1) {
                throw new IllegalArgumentException("times must be at least 1: " + times);
            }
            if (skip < 0) {
                throw new IllegalArgumentException("skip must not be negative: " + skip);
            }
            this.method = method;
            this.path = Pattern.compile(pathRegex);
            this.effect = effect;
            this.skip = skip;
            this.remaining = times;
        }

        boolean matches(String requestMethod, String requestPath) {
            return (method == null || method.equalsIgnoreCase(requestMethod)) && path.matcher(requestPath).matches();
        }
    }

    private final List<Rule<Fault>> answers = new ArrayList<>();
    private final List<Rule<Duration>> delays = new ArrayList<>();
    private CountDownLatch held = new CountDownLatch(1);

    /** Twilio's error answer for the next {@code times} matching requests (see {@link Fault.ErrorAnswer}). */
    public synchronized void failNext(String method, String pathRegex, int status, int code, int times) {
        arm(method, pathRegex, 0, times, Fault.error(status, code));
    }

    public synchronized void delayNext(String method, String pathRegex, Duration delay, int times) {
        arm(method, pathRegex, 0, times, Fault.slow(delay));
    }

    /** {@code fault} for {@code times} matching requests after the first {@code skip} of them. */
    public synchronized void arm(String method, String pathRegex, int skip, int times, Fault fault) {
        if (fault instanceof Fault.Slow slow) {
            delays.add(new Rule<>(method, pathRegex, slow.delay(), skip, times));
        } else {
            answers.add(new Rule<>(method, pathRegex, fault, skip, times));
        }
    }

    synchronized Optional<Fault> takeFault(String method, String path) {
        return take(answers, method, path);
    }

    synchronized Optional<Duration> takeDelay(String method, String path) {
        return take(delays, method, path);
    }

    /** Forgets every armed fault and lets every request held without answer go (its connection is then closed). */
    public void clear() {
        CountDownLatch release;
        synchronized (this) {
            answers.clear();
            delays.clear();
            release = held;
            held = new CountDownLatch(1);
        }
        release.countDown();
    }

    /**
     * Holds the calling request until {@link #clear()}, an interrupt (the emulator closing) or {@code atMost}.
     *
     * @return false when interrupted
     */
    boolean hold(Duration atMost) {
        CountDownLatch latch;
        synchronized (this) {
            latch = held;
        }
        try {
            latch.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static <T> Optional<T> take(List<Rule<T>> rules, String method, String path) {
        T applied = null;
        for (Iterator<Rule<T>> it = rules.iterator(); it.hasNext(); ) {
            Rule<T> rule = it.next();
            if (!rule.matches(method, path)) {
                continue;
            }
            if (rule.skip > 0) {
                rule.skip--;
                continue;
            }
            if (applied == null) {
                applied = rule.effect;
                if (--rule.remaining == 0) {
                    it.remove();
                }
            }
        }
        return Optional.ofNullable(applied);
    }
}
