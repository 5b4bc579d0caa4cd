package com.flexwebchat.shared.testing.property;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Pins the seed of a test's (or a class's) properties, to replay a failure: the failure message
 * prints the seed. {@code -Dflexwebchat.seed=N} on the command line does the same without an edit
 * and wins over this annotation.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Seed {

    long value();
}
