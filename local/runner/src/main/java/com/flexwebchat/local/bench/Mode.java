package com.flexwebchat.local.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How a cold start is measured: the JVM flags, and whether the SnapStart hooks run. The Lambda
 * modes follow the managed runtime template.yaml declares
 * (https://docs.aws.amazon.com/lambda/latest/dg/java-customization.html): java17 and java21 stop
 * tiered compilation at level 1 (C1) always; java25 does too, except with SnapStart or provisioned
 * concurrency, where it keeps the JVM's default (full tiered compilation), so the SnapStart mode
 * on java25 runs with full tiered compilation. All use the serial GC; {@code -XX:MaxRAM} makes the
 * JVM size itself for the function's memory, as inside Lambda's sandbox. The template's
 * JAVA_TOOL_OPTIONS, when it sets one, reaches the probe as an environment variable in the Lambda
 * modes. The plain-JVM mode shows what those defaults are worth. The SnapStart mode runs the
 * functions' SnapStart hooks (priming, then reconnecting) after init, so its first invoke is what
 * a restored function's first request costs, less the restore itself; in that mode the probe also
 * counts the classes the first invoke still loads.
 */
public enum Mode {
    LAMBDA_RUNTIME,
    JVM_DEFAULTS,
    SNAPSTART;

    /** The runtime assumed where none is given: the one template.yaml declared before java25. */
    public static final String DEFAULT_RUNTIME = "java21";

    /** The name in the table and in benchmark.json, such as lambda-java25-defaults. */
    public String label(String runtime) {
        return switch (this) {
            case LAMBDA_RUNTIME -> "lambda-" + runtime + "-defaults";
            case JVM_DEFAULTS -> "jvm-defaults";
            case SNAPSTART -> "lambda-" + runtime + "+snapstart-hooks";
        };
    }

    /** The probe JVM's flags for a function of {@code memoryMb} on the managed runtime {@code runtime}. */
    public List<String> jvmArguments(String runtime, int memoryMb) {
        if (this == JVM_DEFAULTS) {
            return List.of();
        }
        List<String> flags = new ArrayList<>(List.of("-XX:+TieredCompilation"));
        if (!(this == SNAPSTART && fullTieredWithSnapStart(runtime))) {
            flags.add("-XX:TieredStopAtLevel=1");
        }
        flags.add("-XX:+UseSerialGC");
        flags.add("-XX:MaxRAM=" + memoryMb + "m");
        return List.copyOf(flags);
    }

    /** Whether the runtime keeps full tiered compilation when SnapStart is on: java25 and later. */
    static boolean fullTieredWithSnapStart(String runtime) {
        String version = runtime.startsWith("java") ? runtime.substring(4).replaceAll("\\..*", "") : "";
        try {
            return Integer.parseInt(version) >= 25;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a Java managed runtime: " + runtime + " (java17, java21, java25)");
        }
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
