package com.flexwebchat.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A probe's {@code -Xlog:class+load} log ({@link #FLAG}), read: each class load with its JVM
 * uptime, name and source, split at the probe's markers into what loaded before the first
 * request (the JVM's start, init and any SnapStart hooks) and what the first request loaded. The
 * one reading behind {@link FirstRequestClasses} and {@link InitProfile}.
 */
final class ClassLoadLog {

    /** One class load: when (JVM uptime), which class, from where. */
    record Load(long uptimeNanos, String name, String source) {

        /** Where the class came from: a jar's name without its version, the JDK (its CDS archive or a module), or generated. */
        String library() {
            if (source.startsWith("shared objects file")) {
                return "JDK, from its CDS archive";
            }
            if (source.startsWith("jrt:/")) {
                return "JDK " + source.substring(5);
            }
            if (source.startsWith("file:") || source.startsWith("jar:")) {
                String file = source.replaceAll("!/.*$", "");
                file = file.endsWith("/") ? file.substring(0, file.length() - 1) : file;
                String name = file.substring(file.lastIndexOf('/') + 1);
                return name.endsWith(".jar") ? name.replaceAll("-[0-9][^-]*(-SNAPSHOT)?\\.jar$", "") : "classes folder " + name;
            }
            if (source.startsWith("__") || name.contains("$$Lambda") || name.contains("LambdaForm")) {
                return "generated (lambdas, method handles)";
            }
            return source;
        }
    }

    /** The class loads before the first request and during it, and when the first request began (0: no marker). */
    record Phases(List<Load> beforeFirstRequest, List<Load> firstRequest, long firstRequestStartsNanos) {
    }

    private ClassLoadLog() {
    }

    /** The JVM flag that writes the log this reads to {@code file}. */
    static String flag(Path file) {
        return "-Xlog:class+load=info:file=" + file + ":uptimenanos";
    }

    /** The loads in {@code log}, split at the probe's markers (which are left out). */
    static Phases read(Path log) throws IOException {
        List<Load> before = new ArrayList<>();
        List<Load> during = new ArrayList<>();
        List<Load> phase = before;
        long firstRequestStarts = 0;
        for (String line : Files.readAllLines(log)) {
            int source = line.indexOf(" source: ");
            if (!line.startsWith("[") || source < 0) {
                continue;
            }
            long at = Long.parseLong(line.substring(1, line.indexOf("ns]")));
            String name = line.substring(line.indexOf("] ", line.indexOf("class,load")) + 2, source).trim();
            if (name.equals(ColdStartProbe.FirstRequestStarts.class.getName())) {
                phase = during;
                firstRequestStarts = at;
            } else if (name.equals(ColdStartProbe.FirstRequestEnds.class.getName())) {
                break;
            } else {
                phase.add(new Load(at, name, line.substring(source + " source: ".length()).trim()));
            }
        }
        return new Phases(List.copyOf(before), List.copyOf(during), firstRequestStarts);
    }
}
