package com.flexwebchat.local.bench;

import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.local.ProjectRoot;
import com.flexwebchat.local.bench.Workload.Subject;
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
                            List.of(ClassLoadLog.flag(log)), false, Duration.ofSeconds(60), null));
                    List<ClassLoadLog.Load> loaded = ClassLoadLog.read(log).firstRequest();
                    console.printf(Locale.ROOT, "%n%s %s: status %d, first request %.1f ms, %d classes%n", subject.id(), event,
                            result.status(), result.firstInvokeMillis(), loaded.size());
                    Map<String, List<String>> bySource = new TreeMap<>();
                    for (ClassLoadLog.Load load : loaded) {
                        bySource.computeIfAbsent(load.library(), s -> new ArrayList<>()).add(load.name());
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
}
