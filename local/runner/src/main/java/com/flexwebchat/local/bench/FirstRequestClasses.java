package com.flexwebchat.local.bench;

import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.local.ProjectRoot;
import com.flexwebchat.local.bench.Workload.Subject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the first request after the SnapStart hooks still loads, by name: for each event a
 * function primes, one fresh JVM in {@link Mode#SNAPSTART} with {@code -Xlog:class+load}, and the
 * classes logged between the probe's two markers ({@link ColdStartProbe.FirstRequestStarts} and
 * {@link ColdStartProbe.FirstRequestEnds}), grouped by where they came from. The diagnosis behind
 * the priming; not part of {@code ./run-local bench}:
 *
 * <pre>./mvnw -q -B -DskipTests package
 * java -cp 'local/runner/target/classes:local/runner/target/lib/*' com.flexwebchat.local.bench.FirstRequestClasses \
 *     [--function TokenFunction] [--java PATH] [--runtime java25] [--verbose]</pre>
 */
public final class FirstRequestClasses {

    private FirstRequestClasses() {
    }

    public static void main(String[] args) throws Exception {
        String only = null;
        Path java = Probe.currentJava();
        String runtime = null;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--function" -> only = args[++i];
                case "--java" -> java = Path.of(args[++i]);
                case "--runtime" -> runtime = args[++i];
                case "--verbose" -> verbose = true;
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (--function ID, --java PATH, --runtime javaNN, --verbose)");
            }
        }
        PrintStream console = System.out;
        Path root = ProjectRoot.find();
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        try (Workload workload = Workload.start(template, root)) {
            Path work = root.resolve("local/runner/target/first-request-classes");
            Probe probe = new Probe(workload, java, runtime == null ? Probe.runtimeOf(template) : runtime, work);
            Path logs = Files.createDirectories(work.resolve("logs"));
            console.println(probe.javaVersion() + "; flags of " + probe.runtime() + " with SnapStart");
            for (Subject subject : workload.subjects()) {
                if (only != null && !only.equals(subject.id())) {
                    continue;
                }
                for (String event : workload.events(subject)) {
                    Path log = logs.resolve(subject.id() + "-" + event.replace(".json", "") + ".log");
                    Files.deleteIfExists(log);
                    ProbeResult result = probe.start(subject, Mode.SNAPSTART, event, 0, 0, new Launch(null,
                            List.of("-Xlog:class+load=info:file=" + log), false, Duration.ofSeconds(60), null));
                    List<String> loaded = between(log);
                    console.printf(Locale.ROOT, "%n%s %s: status %d, first request %.1f ms, %d classes%n", subject.id(), event,
                            result.status(), result.firstInvokeMillis(), loaded.size());
                    Map<String, List<String>> bySource = new TreeMap<>();
                    for (String line : loaded) {
                        bySource.computeIfAbsent(source(line), s -> new ArrayList<>()).add(name(line));
                    }
                    for (Map.Entry<String, List<String>> group : bySource.entrySet()) {
                        console.printf(Locale.ROOT, "  %3d  %s%n", group.getValue().size(), group.getKey());
                        if (verbose) {
                            group.getValue().forEach(name -> console.println("         " + name));
                        }
                    }
                }
            }
        }
    }

    /** The class+load lines between the probe's two markers. */
    static List<String> between(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        List<String> loaded = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.contains(ColdStartProbe.FirstRequestStarts.class.getName() + " ")) {
                inside = true;
            } else if (line.contains(ColdStartProbe.FirstRequestEnds.class.getName() + " ")) {
                break;
            } else if (inside && line.contains(" source: ")) {
                loaded.add(line);
            }
        }
        return loaded;
    }

    private static String name(String line) {
        String rest = line.substring(line.indexOf("] ", line.indexOf("class,load")) + 2);
        return rest.substring(0, rest.indexOf(' '));
    }

    /** Where a class came from: its jar's file name, the JDK's module, or what the JVM generated. */
    private static String source(String line) {
        String source = line.substring(line.indexOf(" source: ") + " source: ".length()).trim();
        if (source.startsWith("jrt:/")) {
            return "JDK " + source.substring(5);
        }
        if (source.startsWith("file:") || source.startsWith("jar:")) {
            String file = source.replaceAll("!/.*$", "");
            return file.substring(file.lastIndexOf('/') + 1);
        }
        String name = name(line);
        if (source.startsWith("__")) {
            return "generated " + source;
        }
        return source.contains("shared objects file") ? "CDS: " + name.replaceAll("\\.[^.]*$", "") : source;
    }
}
