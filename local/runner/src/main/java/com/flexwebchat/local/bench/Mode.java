package com.flexwebchat.local.bench;

import java.util.List;

/**
 * How a cold start is measured: the JVM flags, and whether the SnapStart hooks run. Lambda's
 * java17/java21 runtimes stop tiered compilation at level 1 (C1) and use the serial GC by default
 * (https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html); {@code -XX:MaxRAM}
 * makes the JVM size itself for the function's memory, as inside Lambda's sandbox. The
 * template's JAVA_TOOL_OPTIONS, when it sets one, reaches the probe as an environment variable
 * in the Lambda modes. The plain-JVM mode shows what those defaults are worth. The SnapStart mode
 * runs the functions' SnapStart hooks (priming, then reconnecting) after init, so its first
 * invoke is what a restored function's first request costs, less the restore itself; in that
 * mode the probe also counts the classes the first invoke still loads.
 */
public enum Mode {
    LAMBDA_RUNTIME("lambda-java21-defaults"),
    JVM_DEFAULTS("jvm-defaults"),
    SNAPSTART("lambda+snapstart-hooks");

    private final String label;

    Mode(String label) {
        this.label = label;
    }

    /** The name in the table and in benchmark.json. */
    public String label() {
        return label;
    }

    /** The probe JVM's flags for a function of {@code memoryMb}. */
    public List<String> jvmArguments(int memoryMb) {
        return this != JVM_DEFAULTS
                ? List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:MaxRAM=" + memoryMb + "m")
                : List.of();
    }

    /** Whether the function's JAVA_TOOL_OPTIONS reaches the probe, as Lambda passes it. */
    public boolean keepsJavaToolOptions() {
        return this != JVM_DEFAULTS;
    }

    /** Whether the probe runs the SnapStart hooks between init and the first invoke. */
    public boolean runsSnapStartHooks() {
        return this == SNAPSTART;
    }
}
