package com.flexwebchat.local.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How {@link Probe} launches its fresh JVM beyond the {@link Mode}'s flags: which java binary
 * (null: the one running the bench), extra flags after the mode's (for example
 * {@code -XX:AOTCache=...}), whether the class path is jars only (what an AOT or CDS cache
 * requires), how long the child may take (a training run that assembles an AOT cache takes
 * longer), and where its stderr goes (null: kept only for errors).
 */
public record Launch(Path java, List<String> flags, boolean jarsOnly, Duration timeout, Path stderrTo) {

    /** What the benchmark has always done: this JVM's java, no extra flags, the package's own layout. */
    public static final Launch DEFAULT = new Launch(null, List.of(), false, Duration.ofSeconds(60), null);

    public Launch {
        flags = List.copyOf(flags);
    }
}
