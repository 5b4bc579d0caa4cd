package com.flexwebchat.shared.testing.property;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands a test its {@link Property}, seeded from {@code -Dflexwebchat.seed}, else the test's or
 * its class's {@link Seed}, else at random: {@code @ExtendWith(Seeds.class)} on the class, then
 * {@code @Test void p(Property property)}.
 */
public final class Seeds implements ParameterResolver {

    private static final SplittableRandom FRESH = new SplittableRandom();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Property.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String test = context.getRequiredTestClass().getSimpleName()
                + context.getTestMethod().map(m -> "#" + m.getName()).orElse("");
        return new Property(seed(context), test);
    }

    static long seed(ExtensionContext context) {
        String given = System.getProperty(Property.SEED_PROPERTY);
        if (given != null && !given.isBlank()) {
            return Long.parseLong(given.trim());
        }
        Optional<Seed> pinned = context.getTestMethod().flatMap(Seeds::seedOf);
        for (Class<?> c = context.getRequiredTestClass(); pinned.isEmpty() && c != null; c = c.getEnclosingClass()) {
            pinned = seedOf(c);
        }
        if (pinned.isPresent()) {
            return pinned.get().value();
        }
        synchronized (FRESH) {
            return FRESH.nextLong();
        }
    }

    private static Optional<Seed> seedOf(AnnotatedElement element) {
        return Optional.ofNullable(element.getAnnotation(Seed.class));
    }
}
