package com.flexwebchat.local.bench;

import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.local.ProjectRoot;
import com.flexwebchat.local.bench.Workload.Subject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a cold start without SnapStart goes, by library: one fresh JVM per function with Lambda's
 * flags ({@link Mode#LAMBDA_RUNTIME}) and {@code -Xlog:class+load} with nanosecond uptimes; each
 * class load is charged the time since the previous one (the code that ran to need it), and loads
 * are summed by where the class came from (a jar, the JDK's CDS archive, a JDK module, generated),
 * for the JVM's start and init up to the first request, then for the first request. A rough
 * profile (time between loads is charged to the library whose class ends it), but the one that
 * needs no profiler. Not part of {@code ./run-local bench}:
 *
 * <pre>./mvnw -q -B -DskipTests package
 * java -cp 'local/runner/target/classes:local/runner/target/lib/*' com.flexwebchat.local.bench.InitProfile \
 *     [--function TokenFunction] [--java PATH] [--runtime java25]</pre>
 */
public final class InitProfile {

    private InitProfile() {
    }

    /** One library's share of a phase. */
    record Share(String library, int classes, double millis) {
    }

    public static void main(String[] args) throws Exception {
        String only = null;
        Path java = Probe.currentJava();
        String runtime = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--function" -> only = args[++i];
                case "--java" -> java = Path.of(args[++i]);
                case "--runtime" -> runtime = args[++i];
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (--function ID, --java PATH, --runtime javaNN)");
            }
        }
        PrintStream console = System.out;
        Path root = ProjectRoot.find();
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        try (Workload workload = Workload.start(template, root)) {
            Path work = root.resolve("local/runner/target/init-profile");
            Probe probe = new Probe(workload, java, runtime == null ? Probe.runtimeOf(template) : runtime, work);
            Path logs = Files.createDirectories(work.resolve("logs"));
            console.println(probe.javaVersion() + "; Lambda flags of " + probe.runtime() + ", no SnapStart");
            for (Subject subject : workload.subjects()) {
                if (only != null && !only.equals(subject.id())) {
                    continue;
                }
                probe.start(subject, Mode.LAMBDA_RUNTIME); // untimed, for the file cache
                Path log = logs.resolve(subject.id() + ".log");
                Files.deleteIfExists(log);
                ProbeResult result = probe.start(subject, Mode.LAMBDA_RUNTIME, new Launch(null,
                        List.of(ClassLoadLog.flag(log)), false, Duration.ofSeconds(60), null));
                ClassLoadLog.Phases phases = ClassLoadLog.read(log);
                console.printf(Locale.ROOT, "%n%s (%s): status %d, first answer %.0f ms (init %.0f, first invoke %.0f; "
                                + "with the class-load log on)%n", subject.id(), subject.route().routeKey(), result.status(),
                        result.firstAnswerMillis(), result.initMillis(), result.firstInvokeMillis());
                print(console, "JVM start and init", shares(phases.beforeFirstRequest(), 0));
                print(console, "first request", shares(phases.firstRequest(), phases.firstRequestStartsNanos()));
            }
        }
    }

    private static void print(PrintStream console, String phase, List<Share> shares) {
        int classes = shares.stream().mapToInt(Share::classes).sum();
        double millis = shares.stream().mapToDouble(Share::millis).sum();
        console.printf(Locale.ROOT, "  %s: %d classes, %.0f ms between the first and last load%n", phase, classes, millis);
        shares.stream().sorted((a, b) -> Double.compare(b.millis(), a.millis())).limit(14).forEach(share ->
                console.printf(Locale.ROOT, "    %7.1f ms %5d  %s%n", share.millis(), share.classes(), share.library()));
    }

    /**
     * Shares by library: each load charged the time since the one before it (the first since
     * {@code fromNanos}, or nothing when that is 0).
     */
    static List<Share> shares(List<ClassLoadLog.Load> loads, long fromNanos) {
        Map<String, double[]> byLibrary = new LinkedHashMap<>();
        long previous = fromNanos;
        for (ClassLoadLog.Load load : loads) {
            double[] share = byLibrary.computeIfAbsent(load.library(), l -> new double[2]);
            share[0]++;
            share[1] += previous <= 0 ? 0 : (load.uptimeNanos() - previous) / 1e6;
            previous = load.uptimeNanos();
        }
        List<Share> shares = new ArrayList<>();
        byLibrary.forEach((library, share) -> shares.add(new Share(library, (int) share[0], share[1])));
        return shares;
    }
}
