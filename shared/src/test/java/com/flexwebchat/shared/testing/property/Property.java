package com.flexwebchat.shared.testing.property;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded, bounded property check: {@code forAll} draws inputs from a {@link Gen}, runs the check
 * on each, and on the first failure shrinks the input (when given a {@link Shrinker}) and fails the
 * test with the seed, the try, the first failing input and the smallest one found, written so that
 * invisible characters show ({@link #show}).
 *
 * <p>The project's own runner rather than jqwik: jqwik's maintainer asks, from 1.10 on, that coding
 * agents not use it, and this campaign is written and kept up by agents too; jqwik 1.10 is also
 * built on JUnit Platform 1.14 where this build runs 1.13. A plain JUnit test that takes a
 * {@code Property} parameter ({@link Seeds}) is all it needs: it runs in {@code ./mvnw verify} as
 * any test does.
 *
 * <p>Seeds: {@code -Dflexwebchat.seed=N} (wins), else {@link Seed @Seed(N)} on the test or its
 * class, else a fresh random seed per test. Every try draws from its own split of the seed's
 * random source, so a seed replays the same inputs in the same order. {@code -Dflexwebchat.tries=N}
 * runs N tries of every property instead of their own numbers (for a longer local soak). Each
 * property also stops at its time budget, so a slow machine runs fewer tries, never longer.
 */
public final class Property {

    public static final String SEED_PROPERTY = "flexwebchat.seed";
    public static final String TRIES_PROPERTY = "flexwebchat.tries";
    /** The most any one property runs, whatever its tries, unless it says otherwise. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(15);
    private static final int MAX_SHRINK_STEPS = 500;

    /** The check: throws (an assertion, or anything else) when the property does not hold for the value. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T value) throws Exception;
    }

    /** Smaller values to try in place of a failing one, most promising first. */
    @FunctionalInterface
    public interface Shrinker<T> {
        List<T> candidates(T value);
    }

    private final long seed;
    private final String test;

    public Property(long seed, String test) {
        this.seed = seed;
        this.test = test;
    }

    public long seed() {
        return seed;
    }

    public <T> void forAll(String name, int tries, Gen<T> gen, Check<T> check) {
        forAll(name, tries, DEFAULT_BUDGET, gen, null, check);
    }

    public <T> void forAll(String name, int tries, Gen<T> gen, Shrinker<T> shrinker, Check<T> check) {
        forAll(name, tries, DEFAULT_BUDGET, gen, shrinker, check);
    }

    /** @return how many tries ran (fewer than asked only when the budget ran out) */
    public <T> int forAll(String name, int tries, Duration budget, Gen<T> gen, Shrinker<T> shrinker, Check<T> check) {
        int planned = Integer.getInteger(TRIES_PROPERTY, tries);
        SplittableRandom master = new SplittableRandom(seed);
        long deadline = System.nanoTime() + budget.toNanos();
        for (int attempt = 0; attempt < planned; attempt++) {
            SplittableRandom random = master.split();
            if (attempt > 0 && System.nanoTime() > deadline) {
                return attempt;
            }
            T value = gen.next(random);
            Throwable failure = failure(check, value);
            if (failure != null) {
                T smallest = value;
                Throwable smallestFailure = failure;
                if (shrinker != null) {
                    int steps = 0;
                    boolean progress = true;
                    while (progress && steps < MAX_SHRINK_STEPS) {
                        progress = false;
                        for (T candidate : shrinker.candidates(smallest)) {
                            if (++steps > MAX_SHRINK_STEPS) {
                                break;
                            }
                            Throwable f = failure(check, candidate);
                            if (f != null) {
                                smallest = candidate;
                                smallestFailure = f;
                                progress = true;
                                break;
                            }
                        }
                    }
                }
                String message = "Property '" + name + "' failed on try " + (attempt + 1) + " of " + planned
                        + " (seed " + seed + ")\n"
                        + "  replay: -D" + SEED_PROPERTY + "=" + seed + " -Dtest=" + test + ", or @Seed(" + seed + "L)\n"
                        + "  first failing input: " + show(value) + "\n"
                        + (smallest != value ? "  shrunk to:           " + show(smallest) + "\n" : "")
                        + "  because: " + smallestFailure;
                throw new AssertionError(message, smallestFailure);
            }
        }
        return planned;
    }

    private static <T> Throwable failure(Check<T> check, T value) {
        try {
            check.accept(value);
            return null;
        } catch (Exception | AssertionError e) {
            return e;
        }
    }

    /**
     * A value as Java source would write it: strings quoted, every character outside printable
     * ASCII as {@code \}{@code uXXXX} (code points above the BMP as {@code \}{@code u{XXXXX}}), long strings
     * cut in the middle; collections, maps and records element by element.
     */
    public static String show(Object value) {
        if (value instanceof CharSequence text) {
            return quote(text.toString());
        }
        if (value instanceof com.fasterxml.jackson.databind.JsonNode json) {
            return "json " + quote(json.toString());
        }
        if (value instanceof Map<?, ?> map) {
            List<String> entries = new ArrayList<>();
            map.forEach((k, v) -> entries.add(show(k) + "=" + show(v)));
            return "{" + String.join(", ", entries) + "}";
        }
        if (value instanceof Collection<?> list) {
            List<String> entries = new ArrayList<>();
            list.forEach(v -> entries.add(show(v)));
            return "[" + String.join(", ", entries) + "]";
        }
        if (value instanceof Record record) {
            List<String> parts = new ArrayList<>();
            for (var component : record.getClass().getRecordComponents()) {
                try {
                    component.getAccessor().setAccessible(true);
                    parts.add(component.getName() + "=" + show(component.getAccessor().invoke(record)));
                } catch (ReflectiveOperationException e) {
                    parts.add(component.getName() + "=?");
                }
            }
            return record.getClass().getSimpleName() + "[" + String.join(", ", parts) + "]";
        }
        return String.valueOf(value);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        int shown = 0;
        int count = text.codePointCount(0, text.length());
        int index = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            index++;
            if (count > 400 && index == 150) {
                out.append("…(").append(count - 300).append(" more code points)…");
            }
            if (count > 400 && index >= 150 && index < count - 150) {
                continue;
            }
            shown++;
            if (cp == '"' || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp >= 0x20 && cp < 0x7F) {
                out.appendCodePoint(cp);
            } else if (cp <= 0xFFFF) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.append(String.format("\\u{%X}", cp));
            }
        }
        return out.append('"').append(count > 40 ? " (" + count + " code points)" : "").toString();
    }

    /** Shrinks a string by dropping halves, then quarters..., then single code points. */
    public static List<String> smallerTexts(String text) {
        List<String> candidates = new ArrayList<>();
        int[] cps = text.codePoints().toArray();
        for (int chunk = cps.length / 2; chunk >= 1; chunk /= 2) {
            for (int from = 0; from + chunk <= cps.length; from += chunk) {
                int[] rest = new int[cps.length - chunk];
                System.arraycopy(cps, 0, rest, 0, from);
                System.arraycopy(cps, from + chunk, rest, from, cps.length - from - chunk);
                candidates.add(new String(rest, 0, rest.length));
                if (candidates.size() > 200) {
                    return candidates;
                }
            }
        }
        return candidates;
    }
}
