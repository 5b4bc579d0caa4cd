package com.flexwebchat.shared.testing.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A generator of test inputs: one value from a seeded random source. Everything a property draws
 * comes from the {@link SplittableRandom} it is handed, so a seed replays the same inputs.
 */
@FunctionalInterface
public interface Gen<T> {

    T next(SplittableRandom random);

    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        return random -> f.apply(next(random));
    }

    default <R> Gen<R> flatMap(Function<? super T, Gen<? extends R>> f) {
        return random -> f.apply(next(random)).next(random);
    }

    /** Pairs this value with another generator's. */
    default <U, R> Gen<R> with(Gen<U> other, BiFunction<? super T, ? super U, ? extends R> f) {
        return random -> f.apply(next(random), other.next(random));
    }

    static <T> Gen<T> constant(T value) {
        return random -> value;
    }

    /** An integer in {@code [min, max]}. */
    static Gen<Integer> between(int min, int max) {
        return random -> min + random.nextInt(max - min + 1);
    }

    static Gen<Boolean> booleans() {
        return SplittableRandom::nextBoolean;
    }

    /** One of the values, uniformly. */
    @SafeVarargs
    static <T> Gen<T> element(T... values) {
        return element(Arrays.asList(values));
    }

    static <T> Gen<T> element(List<T> values) {
        List<T> copy = List.copyOf(values);
        return random -> copy.get(random.nextInt(copy.size()));
    }

    /** One of the generators, uniformly. */
    @SafeVarargs
    static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
        return random -> gens[random.nextInt(gens.length)].next(random);
    }

    /** A list of {@code min} to {@code max} values. */
    static <T> Gen<List<T>> lists(Gen<T> element, int min, int max) {
        return random -> {
            int size = min + random.nextInt(max - min + 1);
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.next(random));
            }
            return list;
        };
    }

    /** A string of {@code min} to {@code max} code points, each drawn from {@code codePoint}. */
    static Gen<String> strings(Gen<Integer> codePoint, int min, int max) {
        return random -> {
            int size = min + random.nextInt(max - min + 1);
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < size; i++) {
                text.appendCodePoint(codePoint.next(random));
            }
            return text.toString();
        };
    }

    /** A code point from one of the ranges, {@code {from, to}} inclusive, each range equally likely. */
    static Gen<Integer> codePoints(int[]... ranges) {
        return random -> {
            int[] range = ranges[random.nextInt(ranges.length)];
            return range[0] + random.nextInt(range[1] - range[0] + 1);
        };
    }

    /** The digits of a string of {@code length} decimal digits, the first not 0 unless {@code length} is 1. */
    static Gen<String> digits(int length) {
        return random -> {
            StringBuilder digits = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                digits.append((char) ('0' + (i == 0 && length > 1 ? 1 + random.nextInt(9) : random.nextInt(10))));
            }
            return digits.toString();
        };
    }
}
