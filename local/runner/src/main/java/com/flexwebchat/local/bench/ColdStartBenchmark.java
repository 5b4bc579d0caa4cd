package com.flexwebchat.local.bench;

import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.local.ProjectRoot;
import com.flexwebchat.local.bench.Workload.Subject;
import com.flexwebchat.standins.LocalDynamo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./run-local bench}: for each function in template.yaml, its artifact size, its cold start
 * in a fresh JVM that has only the artifact on its class path ({@link Probe}), and its warm
 * latency in this JVM ({@link WarmRun}), all against a Twilio emulator running here
 * ({@link Workload}). Prints a table and writes {@code local/runner/target/benchmark.json}
 * ({@link BenchReport}). Not a test: numbers depend on the machine, and only their change over
 * time means much. Lambda's CPU share at 1024 MB (~0.58 vCPU) is less than a local core, so
 * absolute cold starts in AWS are longer.
 *
 * <p>Options: {@code --runs N} (cold starts per function and mode, default 5),
 * {@code --warmup N} (200), {@code --iterations N} (1000), {@code --out FILE}, {@code --store on|off}
 * (on, as deployed: the functions use a dynalite for their abuse protections; off: no store, as
 * before them).
 */
public final class ColdStartBenchmark {

    record Options(int runs, int warmup, int iterations, Path out, boolean store) {
        static Options parse(String[] args, Path root) {
            int runs = 5;
            int warmup = 200;
            int iterations = 1000;
            Path out = root.resolve("local/runner/target/benchmark.json");
            boolean store = true;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                    case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--store" -> {
                        String value = args[++i];
                        if (!value.equals("on") && !value.equals("off")) {
                            throw new IllegalArgumentException("--store takes on or off, not " + value);
                        }
                        store = value.equals("on");
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + " (--runs N, --warmup N, --iterations N, --out FILE, --store on|off)");
                }
            }
            return new Options(runs, warmup, iterations, out, store);
        }
    }

    private final Options options;
    private final Path root;
    private final PrintStream console = System.out;

    private ColdStartBenchmark(Options options, Path root) {
        this.options = options;
        this.root = root;
    }

    public static void main(String[] args) throws Exception {
        Path root = ProjectRoot.find();
        new ColdStartBenchmark(Options.parse(args, root), root).run();
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        SamTemplate template = SamTemplate.load(root.resolve("template.yaml"));
        BenchReport report = new BenchReport(options.runs(), options.warmup(), options.iterations(), options.store());
        if (options.store() && LocalDynamo.nodeMissing() != null) {
            throw new IllegalStateException("the store (dynalite) needs Node.js: " + LocalDynamo.nodeMissing()
                    + "; or measure without it: --store off");
        }
        try (Workload workload = Workload.start(template, options.store() ? root : null)) {
            List<Subject> subjects = workload.subjects();
            console.println("Cold-start benchmark: " + subjects.size() + " functions of " + template.file()
                    + ", Twilio emulator at " + workload.emulatorUrl()
                    + (workload.hasStore() ? ", store on (dynalite)" : ", store off (no abuse protections)"));
            for (Subject subject : subjects) {
                report.function(subject, Artifact.inspect(subject.artifact()));
            }

            // Cold starts: functions interleaved so a drift in the machine's load spreads evenly.
            Probe probe = new Probe(workload, root.resolve("local/runner/target/bench"));
            for (Mode mode : Mode.values()) {
                console.printf(Locale.ROOT, "  cold starts, %s: %d fresh JVMs...%n", mode.label(),
                        subjects.size() * (options.runs() + 1));
                Map<String, List<ProbeResult>> runs = new LinkedHashMap<>();
                for (Subject subject : subjects) {
                    // One untimed start first, so the file cache holds the artifact for every timed one.
                    probe.start(subject, mode);
                    runs.put(subject.id(), new ArrayList<>());
                }
                for (int run = 0; run < options.runs(); run++) {
                    for (Subject subject : subjects) {
                        runs.get(subject.id()).add(probe.start(subject, mode));
                    }
                }
                for (Subject subject : subjects) {
                    report.coldStarts(subject, mode, runs.get(subject.id()));
                }
            }

            console.printf(Locale.ROOT, "  warm latency: %d + %d invocations per function...%n",
                    options.warmup(), options.iterations());
            for (Subject subject : subjects) {
                report.warm(subject, WarmRun.measure(workload, subject, options.warmup(), options.iterations()));
            }
        }

        report.write(options.out(), (System.nanoTime() - started) / 1e9);
        BenchReport.printTable(report.json(), console);
        console.println("Written to " + root.relativize(options.out().toAbsolutePath()) + " in "
                + report.json().get("benchmarkSeconds").asText() + " s.");
    }
}
