package com.flexwebchat.local.bench;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.local.ProjectRoot;
import com.flexwebchat.local.bench.Workload.Subject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Cold starts in fresh JVMs: the parent half of {@link ColdStartProbe}. For each function it
 * unzips the deployment package and writes the request once, then starts as many probes as asked,
 * each a JVM with only the package, the probe and the runtime's libraries on its class path, with
 * the function's environment (and Lambda's LANG and TZ), in the package's folder, as Lambda does.
 *
 * <p>{@link #run(String, Mode)} is the whole thing for one function, for tests: for example the
 * classes a function's first request still loads after the SnapStart hooks.
 */
public final class Probe {

    private final Workload workload;
    private final Path java;
    private final String runtime;
    private final Path work;
    private final Path probeClasses;
    private final Map<String, Path> unzipped = new HashMap<>();

    /** Probes of {@code workload}'s functions with this JVM's java, working in {@code work} (emptied first). */
    public Probe(Workload workload, Path work) throws IOException {
        this(workload, currentJava(), runtimeOf(workload.template()), work);
    }

    /**
     * Probes of {@code workload}'s functions run by the {@code java} binary, with the flags of the
     * managed runtime {@code runtime} (such as java25), working in {@code work} (emptied first).
     */
    public Probe(Workload workload, Path java, String runtime, Path work) throws IOException {
        this.workload = workload;
        this.java = java;
        this.runtime = runtime;
        this.work = work;
        Artifact.deleteRecursively(work);
        Files.createDirectories(work);
        this.probeClasses = copyProbe(work.resolve("probe"));
    }

    /**
     * One cold start of template.yaml's function {@code function} (its logical ID, such as
     * AgentEndedFunction) in {@code mode}, in a fresh JVM, against a Twilio emulator started for
     * it, with the store on (a dynalite); the package must be built ({@code ./mvnw package}). One
     * start with whatever the file cache holds: its times are rougher than the benchmark's, its
     * class count is not.
     */
    public static ProbeResult run(String function, Mode mode) {
        return withProbe(function, (probe, subject) -> probe.start(subject, mode));
    }

    /**
     * The first request after the SnapStart hooks for each event {@code function}'s handler
     * registers for its priming, one fresh JVM each, as {@link #run(String, Mode)} does for one
     * request, each JVM then serving {@code warmup} untimed and {@code timed} timed requests made
     * from the same event: by event file, in the handler's order.
     */
    public static Map<String, ProbeResult> runEvents(String function, int warmup, int timed) {
        return withProbe(function, (probe, subject) -> {
            Map<String, ProbeResult> results = new LinkedHashMap<>();
            for (String event : probe.workload.events(subject)) {
                results.put(event, probe.start(subject, Mode.SNAPSTART, event, warmup, timed));
            }
            return results;
        });
    }

    /** What {@link #withProbe} runs: probes of one function. */
    private interface ProbeWork<T> {
        T run(Probe probe, Subject subject) throws IOException, InterruptedException;
    }

    /** {@code work} with a probe of {@code function}, its workload (emulator, store) and a temporary folder, all gone after. */
    private static <T> T withProbe(String function, ProbeWork<T> work) {
        Path folder = null;
        Path root = ProjectRoot.find();
        try (Workload workload = Workload.start(SamTemplate.load(root.resolve("template.yaml")), root)) {
            folder = Files.createTempDirectory("cold-start-probe");
            return work.run(new Probe(workload, folder), workload.subject(function));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + function + " started", e);
        } finally {
            if (folder != null) {
                try {
                    Artifact.deleteRecursively(folder);
                } catch (IOException ignored) {
                    // a temporary folder left behind
                }
            }
        }
    }

    /** The java of this JVM. */
    public static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** The managed runtime the template declares (Globals.Function.Runtime), or {@link Mode#DEFAULT_RUNTIME}. */
    public static String runtimeOf(SamTemplate template) {
        return template.runtime().orElse(Mode.DEFAULT_RUNTIME);
    }

    /** The managed runtime whose flags the probes use. */
    public String runtime() {
        return runtime;
    }

    /** What {@code java -version} says of the probes' java, first line. */
    public String javaVersion() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String first;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            first = out.readLine();
            out.transferTo(Writer.nullWriter());
        }
        process.waitFor(Launch.DEFAULT.timeout().toSeconds(), TimeUnit.SECONDS);
        return java + ": " + (first == null ? "?" : first);
    }

    /** One cold start of {@code subject} in {@code mode}, its first request the benchmark's own for its route. */
    public ProbeResult start(Subject subject, Mode mode) throws IOException, InterruptedException {
        return start(subject, mode, (String) null);
    }

    /**
     * One cold start of {@code subject} in {@code mode}, its first request made from the recorded
     * event {@code eventFile} ({@link Workload#recorded(Subject, String)}), or the benchmark's own
     * request for its route when null.
     */
    public ProbeResult start(Subject subject, Mode mode, String eventFile) throws IOException, InterruptedException {
        return start(subject, mode, eventFile, 0, 0);
    }

    /**
     * As {@link #start(Subject, Mode, String)}, then, in the same JVM, {@code warmup} untimed and
     * {@code timed} timed requests made from the same event: the warm latency with the same java and flags.
     */
    public ProbeResult start(Subject subject, Mode mode, String eventFile, int warmup, int timed)
            throws IOException, InterruptedException {
        return start(subject, mode, eventFile, warmup, timed, Launch.DEFAULT);
    }

    /** One cold start of {@code subject} in {@code mode}, with {@code launch}'s java binary, extra flags and class path layout. */
    public ProbeResult start(Subject subject, Mode mode, Launch launch) throws IOException, InterruptedException {
        return start(subject, mode, null, 0, 0, launch);
    }

    /**
     * As {@link #start(Subject, Mode, String, int, int)}, with {@code launch}'s java binary (else the
     * probes'), extra flags (after the mode's) and class path layout.
     */
    public ProbeResult start(Subject subject, Mode mode, String eventFile, int warmup, int timed, Launch launch)
            throws IOException, InterruptedException {
        Path artifact = unzipped(subject);
        List<String> command = new ArrayList<>();
        command.add(launch.java() != null ? launch.java().toString() : java.toString());
        command.addAll(mode.jvmArguments(runtime, launch.memoryMb() > 0 ? launch.memoryMb() : subject.function().memoryMb()));
        command.addAll(launch.flags());
        command.add("-cp");
        command.add(launch.jarsOnly() ? jarsOnlyClassPath(subject, artifact)
                : String.join(System.getProperty("path.separator"), probeClasses.toString(), artifact.toString(),
                artifact.resolve("lib").resolve("*").toString(), jarOf(LambdaEventSerializers.class).toString(),
                jarOf(LocalContext.class).toString()));
        command.add(ColdStartProbe.class.getName());
        command.add(subject.function().handler());
        command.add(eventFile(subject, eventFile).toString());
        command.add(subject.id());
        command.add(String.valueOf(subject.function().timeoutSeconds()));
        command.add(String.valueOf(launch.memoryMb() > 0 ? launch.memoryMb() : subject.function().memoryMb()));
        if (mode.runsSnapStartHooks() || timed > 0) {
            command.add(mode.runsSnapStartHooks() ? ColdStartProbe.SNAPSTART : "-");
        }
        if (timed > 0) {
            command.add(warmRequests(subject, eventFile, warmup + timed).toString());
            command.add(String.valueOf(warmup));
        }

        ProcessBuilder builder = new ProcessBuilder(launch.cpu() == null ? command : launch.cpu().wrap(command))
                .directory(artifact.toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear();
        env.putAll(subject.env());
        if (!mode.keepsJavaToolOptions()) {
            env.remove("JAVA_TOOL_OPTIONS");
        }
        // A few of the variables Lambda sets for every function.
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", ":UTC");
        if (path != null) {
            env.put("PATH", path);
        }

        Instant spawnedAt = Instant.now();
        long spawned = System.nanoTime();
        Process process = builder.start();
        StringBuilder stderr = new StringBuilder();
        Thread drain = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "cold-start-stderr");
        drain.setDaemon(true);
        drain.start();

        String result = null;
        double[] warm = new double[0];
        long answered = 0;
        double twilioMillis = Double.NaN;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(ColdStartProbe.RESULT_PREFIX)) {
                    answered = System.nanoTime();
                    result = line;
                    break;
                }
                twilioMillis = LogCapture.twilioMillis(line, twilioMillis);
            }
            while ((line = out.readLine()) != null) {
                if (line.startsWith(ColdStartProbe.WARM_PREFIX)) {
                    String list = line.substring(ColdStartProbe.WARM_PREFIX.length()).trim().substring("nanos=".length());
                    warm = list.isEmpty() ? new double[0]
                              : Arrays.stream(list.split(",")).mapToDouble(n -> Long.parseLong(n) / 1e6).toArray();
                }
            }
        }
        if (!process.waitFor(launch.timeout().toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(subject.id() + " cold start did not finish in " + launch.timeout());
        }
        drain.join(1_000);
        if (launch.stderrTo() != null) {
            synchronized (stderr) {
                Files.writeString(launch.stderrTo(), stderr);
            }
        }
        if (result == null) {
            throw new IllegalStateException(subject.id() + " cold start printed no result (exit "
                    + process.exitValue() + "):\n" + stderr);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : result.substring(ColdStartProbe.RESULT_PREFIX.length()).trim().split(" ")) {
            String[] kv = pair.split("=", 2);
            fields.put(kv[0], kv[1]);
        }
        long spawnEpochMicros = spawnedAt.getEpochSecond() * 1_000_000L + spawnedAt.getNano() / 1_000;
        String loaded = fields.get("firstInvokeLoadedClasses");
        return new ProbeResult(subject.id(), eventFile, mode, Integer.parseInt(fields.get("status")),
                (answered - spawned) / 1e6,
                (Long.parseLong(fields.get("mainEpochMicros")) - spawnEpochMicros) / 1e3,
                Long.parseLong(fields.get("initNanos")) / 1e6,
                Long.parseLong(fields.get("invokeNanos")) / 1e6,
                twilioMillis,
                loaded == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(loaded)), warm);
    }

    /**
     * The class path as an AOT or CDS cache needs it: jars only, in a fixed order (JDK 25 refuses
     * to dump or use a cache when a non-empty directory is on the class path). The package's loose
     * classes go into {@code <id>-jars/function-classes.jar}, the probe into {@code probe.jar},
     * once; then the package's lib/*.jar sorted by name, then the two jars the probe needs
     * besides (the serialization library the managed runtime provides, and the harness).
     */
    private String jarsOnlyClassPath(Subject subject, Path artifact) throws IOException {
        Path jars = work.resolve(subject.id() + "-jars");
        Path functionJar = jars.resolve("function-classes.jar");
        Path probeJar = work.resolve("probe.jar");
        if (!Files.exists(functionJar)) {
            Files.createDirectories(jars);
            Artifact.jarDirectory(artifact, functionJar, "lib/");
        }
        if (!Files.exists(probeJar)) {
            Artifact.jarDirectory(probeClasses, probeJar, null);
        }
        List<String> entries = new ArrayList<>();
        entries.add(probeJar.toString());
        entries.add(functionJar.toString());
        try (Stream<Path> lib = Files.list(artifact.resolve("lib"))) {
            lib.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().forEach(f -> entries.add(f.toString()));
        }
        for (Path extra : List.of(jarOf(LambdaEventSerializers.class), jarOf(LocalContext.class))) {
            if (Files.isDirectory(extra)) {
                throw new IllegalStateException(extra + " is a folder: a jars-only class path needs the runner run from jars");
            }
            entries.add(extra.toString());
        }
        return String.join(System.getProperty("path.separator"), entries);
    }

    /** The function's package unzipped, once. */
    private Path unzipped(Subject subject) throws IOException {
        Path folder = unzipped.get(subject.id());
        if (folder == null) {
            folder = Artifact.unzip(subject.artifact(), work.resolve(subject.id()));
            unzipped.put(subject.id(), folder);
        }
        return folder;
    }

    /** The function's request in a file, written for each start: a new visitor each time. */
    private Path eventFile(Subject subject, String eventFile) throws IOException {
        return Files.write(work.resolve(subject.id() + "-event.json"),
                eventFile == null ? workload.eventJson(subject) : workload.eventJson(subject, eventFile));
    }

    /** {@code count} requests made from the event (or the route's own request), one JSON a line, for a probe's warm run. */
    private Path warmRequests(Subject subject, String eventFile, int count) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String json = new String(eventFile == null ? workload.eventJson(subject) : workload.eventJson(subject, eventFile),
                    StandardCharsets.UTF_8);
            if (json.indexOf('\n') >= 0) {
                throw new IllegalStateException("a request's JSON spans lines: " + json);
            }
            lines.append(json).append('\n');
        }
        return Files.writeString(work.resolve(subject.id() + "-warm.jsonl"), lines);
    }

    /** ColdStartProbe's classes alone, so the child loads nothing else of this module. */
    private static Path copyProbe(Path target) throws IOException {
        String packagePath = ColdStartProbe.class.getPackageName().replace('.', '/');
        String prefix = ColdStartProbe.class.getSimpleName();
        Path outDir = target.resolve(packagePath);
        Files.createDirectories(outDir);
        Path source = jarOf(ColdStartProbe.class);
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.list(source.resolve(packagePath))) {
                for (Path file : files.filter(f -> isProbeClass(f.getFileName().toString(), prefix)).toList()) {
                    Files.copy(file, outDir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } else {
            try (JarFile jar = new JarFile(source.toFile())) {
                for (JarEntry entry : jar.stream().toList()) {
                    String name = entry.getName();
                    if (name.startsWith(packagePath + "/") && isProbeClass(name.substring(packagePath.length() + 1), prefix)) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            Files.copy(in, outDir.resolve(name.substring(packagePath.length() + 1)),
                                    StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        }
        return target;
    }

    private static boolean isProbeClass(String fileName, String prefix) {
        return fileName.endsWith(".class") && (fileName.equals(prefix + ".class") || fileName.startsWith(prefix + "$"));
    }

    /** The jar (or classes folder) a class is loaded from. */
    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
