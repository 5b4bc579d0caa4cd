package com.flexwebchat.local.bench;

import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.local.ProjectRoot;
import com.flexwebchat.local.bench.Workload.Subject;
import com.flexwebchat.standins.LocalDynamo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Issue 13's question, measured: what a JDK 25 AOT cache does to one function's fresh-JVM first
 * answer, next to JDK 17 and JDK 25 without one, all with Lambda's flags ({@link Mode#LAMBDA_RUNTIME})
 * and the bench's {@link Probe} against the same emulator. Not part of {@code ./run-local bench}:
 *
 * <pre>./mvnw -q -B -DskipTests package
 * java -cp 'local/runner/target/classes:local/runner/target/lib/*' com.flexwebchat.local.bench.AotColdStart \
 *     [--function WebChannelFunction] [--runs 5] [--java25 /usr/lib/jvm/temurin-25-jdk-amd64/bin/java] [--store on|off]</pre>
 *
 * <p>The JVM running it is the "JDK 17" one (its java.home). Configurations, each started once
 * untimed and then {@code --runs} times, interleaved: JDK 17 and JDK 25 with the package's layout
 * (classes folder + lib/*, as Lambda runs it); JDK 25 with the jars-only class path the cache
 * needs, without a cache (so the layout's own effect shows); JDK 25 with the cache
 * ({@code -XX:AOTCache} and {@code -XX:AOTMode=on}, so a cache the JVM cannot use is an error,
 * not a silent fallback). The cache comes from one training run of the probe itself
 * ({@code -XX:AOTCacheOutput}, JEP 514) with the same flags and class path, and a last start with
 * {@code -Xlog:aot,cds} and {@code -Xlog:class+load} shows that it is used and how many classes
 * came from it. Everything it writes is under local/runner/target/bench-aot.
 */
public final class AotColdStart {

    private AotColdStart() {
    }

    public static void main(String[] args) throws Exception {
        String function = "WebChannelFunction";
        int runs = 5;
        Path java25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
        boolean store = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--function" -> function = args[++i];
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--java25" -> java25 = Path.of(args[++i]);
                case "--store" -> store = "on".equals(args[++i]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (--function ID, --runs N, --java25 PATH, --store on|off)");
            }
        }
        if (runs < 1 || runs > 50) {
            throw new IllegalArgumentException("--runs takes 1 to 50");
        }
        PrintStream console = System.out;
        Path root = ProjectRoot.find();
        Path java17 = Path.of(System.getProperty("java.home"), "bin", "java");
        if (store && LocalDynamo.nodeMissing() != null) {
            throw new IllegalStateException("the store (dynalite) needs Node.js; or --store off");
        }
        try (Workload workload = Workload.start(SamTemplate.load(root.resolve("template.yaml")), store ? root : null)) {
            Subject subject = workload.subject(function);
            Path work = root.resolve("local/runner/target/bench-aot");
            Probe probe = new Probe(workload, work);
            Path logs = Files.createDirectories(work.resolve("logs"));
            Path cache = work.resolve(subject.id() + ".aot");
            Duration timeout = Duration.ofSeconds(60);
            console.println("AOT cold starts of " + subject.id() + " (" + subject.route().routeKey() + "), "
                    + Mode.LAMBDA_RUNTIME.jvmArguments(probe.runtime(), subject.function().memoryMb()) + ", " + runs + " runs; "
                    + "JDK 17: " + java17 + "; JDK 25: " + java25 + "; store " + (workload.hasStore() ? "on" : "off"));

            // The training run: the probe answering its request once, with the cache's class path and flags.
            long trainStart = System.nanoTime();
            ProbeResult training = probe.start(subject, Mode.LAMBDA_RUNTIME, new Launch(java25,
                    List.of("-XX:AOTCacheOutput=" + cache, "-Xlog:aot=info,cds=info:file=" + logs.resolve("training-aot.log")),
                    true, Duration.ofSeconds(300), logs.resolve("training-stderr.log")));
            console.printf(Locale.ROOT, "  training run: status %d, %.0f ms including the cache's assembly; %s, %d bytes%n",
                    training.status(), (System.nanoTime() - trainStart) / 1e6, cache, Files.size(cache));

            Map<String, Launch> configs = new LinkedHashMap<>();
            configs.put("JDK 17, Lambda flags", new Launch(java17, List.of(), false, timeout, null));
            configs.put("JDK 25, Lambda flags", new Launch(java25, List.of(), false, timeout, null));
            configs.put("JDK 25, Lambda flags, jars-only class path", new Launch(java25, List.of(), true, timeout, null));
            configs.put("JDK 25, Lambda flags, AOT cache", new Launch(java25,
                    List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), true, timeout, null));

            Map<String, List<ProbeResult>> results = new LinkedHashMap<>();
            for (Map.Entry<String, Launch> config : configs.entrySet()) {
                check(probe.start(subject, Mode.LAMBDA_RUNTIME, config.getValue()), config.getKey());
                results.put(config.getKey(), new ArrayList<>());
            }
            for (int run = 0; run < runs; run++) {
                for (Map.Entry<String, Launch> config : configs.entrySet()) {
                    results.get(config.getKey()).add(check(probe.start(subject, Mode.LAMBDA_RUNTIME, config.getValue()),
                            config.getKey()));
                }
            }

            // Proof that the cache is used, from a start of its own (logging costs time).
            Path aotLog = logs.resolve("with-cache-aot.log");
            Path classLog = logs.resolve("with-cache-class-load.log");
            check(probe.start(subject, Mode.LAMBDA_RUNTIME, new Launch(java25, List.of("-XX:AOTCache=" + cache,
                    "-XX:AOTMode=on", "-Xlog:aot=info,cds=info:file=" + aotLog,
                    "-Xlog:class+load=info:file=" + classLog), true, timeout, logs.resolve("with-cache-stderr.log"))),
                    "logged start with the cache");
            long fromCache;
            long total;
            try (Stream<String> lines = Files.lines(classLog)) {
                List<String> loads = lines.filter(l -> l.contains(" source: ")).toList();
                total = loads.size();
                fromCache = loads.stream().filter(l -> l.contains("source: shared objects file")).count();
            }

            console.printf(Locale.ROOT, "%n| %s | first answer after spawn | spawn to main | init | first invoke |%n",
                    subject.id() + ", medians of " + runs);
            console.println("| --- | --- | --- | --- | --- |");
            for (Map.Entry<String, List<ProbeResult>> result : results.entrySet()) {
                List<ProbeResult> r = result.getValue();
                console.printf(Locale.ROOT, "| %s | %.0f ms (%s) | %.0f ms | %.0f ms | %.0f ms |%n", result.getKey(),
                        median(r, ProbeResult::firstAnswerMillis), all(r, ProbeResult::firstAnswerMillis),
                        median(r, ProbeResult::spawnToMainMillis), median(r, ProbeResult::initMillis),
                        median(r, ProbeResult::firstInvokeMillis));
            }
            console.printf(Locale.ROOT, "%nWith the cache, %d of the %d classes loaded came from it (\"source: shared objects file\");"
                    + " logs in %s%n", fromCache, total, root.relativize(logs));
            try (Stream<String> lines = Files.lines(aotLog)) {
                lines.limit(12).forEach(l -> console.println("  " + l));
            }
        }
    }

    private static ProbeResult check(ProbeResult result, String config) {
        if (!result.succeeded()) {
            throw new IllegalStateException(config + ": the first invoke answered " + result.status());
        }
        return result;
    }

    private static double median(List<ProbeResult> results, ToDoubleFunction<ProbeResult> field) {
        double[] values = results.stream().mapToDouble(field).sorted().toArray();
        return Statistics.median(values);
    }

    private static String all(List<ProbeResult> results, ToDoubleFunction<ProbeResult> field) {
        return String.join(", ", Arrays.stream(results.stream().mapToDouble(field).toArray())
                .mapToObj(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
    }
}
