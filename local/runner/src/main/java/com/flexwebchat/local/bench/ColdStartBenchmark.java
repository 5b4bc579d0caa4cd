package com.flexwebchat.local.bench;

import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.local.ProjectRoot;
import com.flexwebchat.local.bench.Workload.Subject;
import com.flexwebchat.standins.LocalDynamo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * time means much. Lambda's CPU share at 1024 MB (~0.58 vCPU) is less than a local core: the
 * {@code --memory} section imposes it (a cgroup quota) to show what that costs on this machine.
 *
 * <p>Options: {@code --runs N} (cold starts per function and mode, default 5; with it, also the
 * first requests after the SnapStart hooks per function and event, default 3), {@code --warmup N}
 * (200), {@code --iterations N} (1000), {@code --out FILE}, {@code --store on|off} (on, as deployed:
 * the functions use a dynalite for their abuse protections; off: no store, as before them),
 * {@code --java PATH} (the java binary of the fresh JVMs; default this JVM's), {@code --runtime NAME}
 * (the managed runtime whose flags the Lambda modes use, such as java25; default template.yaml's
 * Globals Runtime), {@code --memory 512,1024|off} (the memory sizes measured at Lambda's CPU share
 * for them, {@link CpuShare}; default 512 and 1024 where a cgroup CPU quota can be set, else off).
 *
 * <p>With SnapStart, each function's first request after the hooks is measured for every event its
 * handler primes (each {@code events/} file it registers): a fresh JVM per (function, event), since
 * in Lambda every restored instance serves its first request of whatever route arrives. Beside it,
 * the warm p50 of requests made from the same event, served after it by the first timed run's JVM
 * (same java, same flags), and their ratio (the goal: 3x).
 */
public final class ColdStartBenchmark {

    /** The first requests after the SnapStart hooks per (function, event) unless {@code --runs} says. */
    static final int DEFAULT_EVENT_RUNS = 3;
    /**
     * The warm requests each (function, event) pair's first timed JVM serves after its first request:
     * untimed, then timed. In that JVM, so the warm p50 has the same java and flags as the first request.
     */
    static final int EVENT_WARMUP = 150;
    static final int EVENT_TIMED = 250;

    /** The memory sizes measured at Lambda's CPU share unless {@code --memory} says. */
    static final List<Integer> DEFAULT_MEMORY_SIZES = List.of(512, 1024);

    record Options(int runs, int eventRuns, int warmup, int iterations, Path out, boolean store, Path java, String runtime,
                   List<Integer> memorySizes) {
        static Options parse(String[] args, Path root) {
            int runs = 5;
            int eventRuns = DEFAULT_EVENT_RUNS;
            int warmup = 200;
            int iterations = 1000;
            Path out = root.resolve("local/runner/target/benchmark.json");
            boolean store = true;
            Path java = Probe.currentJava();
            String runtime = null;
            List<Integer> memorySizes = CpuShare.available() ? DEFAULT_MEMORY_SIZES : List.of();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--runs" -> {
                        runs = Integer.parseInt(args[++i]);
                        eventRuns = runs;
                    }
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
                    case "--java" -> java = Path.of(args[++i]);
                    case "--runtime" -> {
                        runtime = args[++i];
                        Mode.fullTieredWithSnapStart(runtime); // a Java runtime's name, or an exception
                    }
                    case "--memory" -> {
                        String value = args[++i];
                        memorySizes = value.equals("off") ? List.of()
                                : Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
                        if (!memorySizes.isEmpty()) {
                            CpuShare.unavailable().ifPresent(why -> {
                                throw new IllegalArgumentException("--memory needs a cgroup CPU quota: " + why);
                            });
                        }
                        if (memorySizes.stream().anyMatch(mb -> mb < 128 || mb > 10240)) {
                            throw new IllegalArgumentException("--memory takes sizes Lambda allows, 128 to 10240 MB: " + value);
                        }
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]
                            + " (--runs N, --warmup N, --iterations N, --out FILE, --store on|off, --java PATH, --runtime javaNN,"
                            + " --memory MB,MB|off)");
                }
            }
            return new Options(runs, eventRuns, warmup, iterations, out, store, java, runtime, memorySizes);
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
        String runtime = options.runtime() != null ? options.runtime() : Probe.runtimeOf(template);
        if (!Files.isExecutable(options.java())) {
            throw new IllegalArgumentException("--java " + options.java() + " is not an executable");
        }
        if (options.store() && LocalDynamo.nodeMissing() != null) {
            throw new IllegalStateException("the store (dynalite) needs Node.js: " + LocalDynamo.nodeMissing()
                    + "; or measure without it: --store off");
        }
        BenchReport report;
        try (Workload workload = Workload.start(template, options.store() ? root : null)) {
            List<Subject> subjects = workload.subjects();
            Probe probe = new Probe(workload, options.java(), runtime, root.resolve("local/runner/target/bench"));
            String probeJava = probe.javaVersion();
            report = new BenchReport(runtime, probeJava, options.runs(), options.eventRuns(), options.warmup(),
                    options.iterations(), options.store());
            console.println("Cold-start benchmark: " + subjects.size() + " functions of " + template.file()
                    + ", Twilio emulator at " + workload.emulatorUrl()
                    + (workload.hasStore() ? ", store on (dynalite)" : ", store off (no abuse protections)"));
            console.println("  fresh JVMs: " + probeJava + "; Lambda flags of the " + runtime + " runtime");
            for (Subject subject : subjects) {
                report.function(subject, Artifact.inspect(subject.artifact()));
            }

            // Cold starts: functions interleaved so a drift in the machine's load spreads evenly.
            for (Mode mode : List.of(Mode.LAMBDA_RUNTIME, Mode.JVM_DEFAULTS)) {
                console.printf(Locale.ROOT, "  cold starts, %s: %d fresh JVMs...%n", mode.label(runtime),
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

            // After the SnapStart hooks: a fresh JVM per (function, event), pairs interleaved.
            Map<Subject, List<String>> events = new LinkedHashMap<>();
            int pairs = 0;
            for (Subject subject : subjects) {
                events.put(subject, workload.events(subject));
                pairs += events.get(subject).size();
            }
            console.printf(Locale.ROOT, "  first requests after the SnapStart hooks, %s: %d (function, event) pairs, %d fresh JVMs...%n",
                    Mode.SNAPSTART.label(runtime), pairs, subjects.size() + pairs * options.eventRuns());
            Map<String, List<ProbeResult>> eventRuns = new LinkedHashMap<>();
            for (Subject subject : subjects) {
                if (!events.get(subject).isEmpty()) {
                    probe.start(subject, Mode.SNAPSTART, events.get(subject).get(0)); // untimed, for the file cache
                }
                for (String event : events.get(subject)) {
                    eventRuns.put(subject.id() + " " + event, new ArrayList<>());
                }
            }
            for (int run = 0; run < options.eventRuns(); run++) {
                for (Subject subject : subjects) {
                    for (String event : events.get(subject)) {
                        eventRuns.get(subject.id() + " " + event).add(run == 0
                                ? probe.start(subject, Mode.SNAPSTART, event, EVENT_WARMUP, EVENT_TIMED)
                                : probe.start(subject, Mode.SNAPSTART, event));
                    }
                }
            }
            for (Subject subject : subjects) {
                for (String event : events.get(subject)) {
                    report.snapStartEvent(subject, event, eventRuns.get(subject.id() + " " + event));
                }
            }

            // At Lambda's CPU share per memory size: the cold start without SnapStart and the first
            // request after the hooks (the function's first event), sizes and functions interleaved.
            if (!options.memorySizes().isEmpty()) {
                List<CpuShare> shares = options.memorySizes().stream().map(CpuShare::of).toList();
                console.printf(Locale.ROOT, "  at Lambda's CPU share for %s: %d fresh JVMs...%n", shares,
                        shares.size() * subjects.size() * (options.runs() + options.eventRuns() + 1));
                Map<String, List<ProbeResult>> cold = new LinkedHashMap<>();
                Map<String, List<ProbeResult>> restored = new LinkedHashMap<>();
                for (CpuShare cpu : shares) {
                    for (Subject subject : subjects) {
                        probe.start(subject, Mode.LAMBDA_RUNTIME, Launch.DEFAULT.at(cpu)); // untimed
                        cold.put(cpu.memoryMb() + " " + subject.id(), new ArrayList<>());
                        restored.put(cpu.memoryMb() + " " + subject.id(), new ArrayList<>());
                    }
                }
                for (int run = 0; run < Math.max(options.runs(), options.eventRuns()); run++) {
                    for (CpuShare cpu : shares) {
                        for (Subject subject : subjects) {
                            String key = cpu.memoryMb() + " " + subject.id();
                            if (run < options.runs()) {
                                cold.get(key).add(probe.start(subject, Mode.LAMBDA_RUNTIME, Launch.DEFAULT.at(cpu)));
                            }
                            if (run < options.eventRuns() && !events.get(subject).isEmpty()) {
                                restored.get(key).add(probe.start(subject, Mode.SNAPSTART, events.get(subject).get(0), 0, 0,
                                        Launch.DEFAULT.at(cpu)));
                            }
                        }
                    }
                }
                for (CpuShare cpu : shares) {
                    for (Subject subject : subjects) {
                        String key = cpu.memoryMb() + " " + subject.id();
                        report.cpuShare(subject, cpu, cold.get(key), events.get(subject).isEmpty() ? "-" : events.get(subject).get(0),
                                restored.get(key));
                    }
                    cpu.remove();
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
