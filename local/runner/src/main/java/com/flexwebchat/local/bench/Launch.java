package com.flexwebchat.local.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How {@link Probe} launches its fresh JVM beyond the {@link Mode}'s flags: which java binary
 * (null: the one running the bench), extra flags after the mode's (for example
 * {@code -XX:AOTCache=...}), whether the class path is jars only (what an AOT or CDS cache
 * requires), how long the child may take (a training run that assembles an AOT cache takes
 * longer), where its stderr goes (null: kept only for errors), the memory size it stands for (0:
 * the function's own; it sets {@code -XX:MaxRAM}) and the CPU share it gets (null: this machine's
 * cores, unthrottled).
 */
public record Launch(Path java, List<String> flags, boolean jarsOnly, Duration timeout, Path stderrTo, int memoryMb,
                     CpuShare cpu) {

    /** What the benchmark has always done: this JVM's java, no extra flags, the package's own layout. */
    public static final Launch DEFAULT = new Launch(null, List.of(), false, Duration.ofSeconds(60), null);

    public Launch {
        flags = List.copyOf(flags);
    }

    /** At the function's own memory size, on this machine's cores. */
    public Launch(Path java, List<String> flags, boolean jarsOnly, Duration timeout, Path stderrTo) {
        this(java, flags, jarsOnly, timeout, stderrTo, 0, null);
    }

    /** This launch as a function of {@code cpu}'s memory size, with Lambda's CPU share for it. */
    public Launch at(CpuShare cpu) {
        return new Launch(java, flags, jarsOnly, timeout, stderrTo, cpu.memoryMb(), cpu);
    }
}
