package com.flexwebchat.local.load;

import com.flexwebchat.local.LocalApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local API as {@code ./run-local} starts it ({@link LocalApi#main}: its own Twilio emulator
 * and dynalite), in a JVM of its own, so its memory can be read apart from the load's: from
 * /proc (RSS, its peak, threads, open files) and, after a full GC, its heap (through {@code jcmd}).
 * It is started from an empty folder with a bare environment, so neither .env nor the caller's
 * Twilio settings are read; its console (access lines and the functions' logs) goes to a file.
 */
final class ServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

    /** The server's memory at one moment; -1 where it could not be read. */
    record Memory(long rssKib, long peakRssKib, long heapUsedKib, long heapTotalKib, int threads, int openFiles,
                  long childrenRssKib) {
    }

    private final Process process;
    private final URI baseUrl;
    private final Path log;
    private final Path folder;

    private ServerProcess(Process process, URI baseUrl, Path log, Path folder) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
        this.folder = folder;
    }

    /**
     * Starts {@code LocalApi} on a free port with {@code extraEnvironment} (the limits, say) and
     * waits until it serves.
     */
    static ServerProcess start(Path template, Map<String, String> extraEnvironment, Path logFile) {
        int port = freePort();
        Path folder;
        try {
            folder = Files.createTempDirectory("run-local-load-");
            Files.createDirectories(logFile.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = absolute(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        List<String> command = List.of(java, "-cp", classpath, LocalApi.class.getName(), template.toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        Map<String, String> kept = new LinkedHashMap<>();
        for (String key : List.of("PATH", "HOME", "LANG", "TMPDIR", "JAVA_HOME")) {
            if (environment.containsKey(key)) {
                kept.put(key, environment.get(key));
            }
        }
        environment.clear();
        environment.putAll(kept);
        environment.put("PORT", String.valueOf(port));
        environment.putAll(extraEnvironment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + java, e);
        }
        ServerProcess server = new ServerProcess(process, URI.create("http://127.0.0.1:" + port), logFile, folder);
        server.awaitBanner(logFile);
        return server;
    }

    /** The class path with every entry absolute: the server runs in a folder of its own. */
    private static String absolute(String classpath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*") || entry.endsWith("/*")) {
                String folder = entry.substring(0, entry.length() - 1);
                entries.add(Path.of(folder.isEmpty() ? "." : folder).toAbsolutePath().normalize() + "/*");
            } else {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private void awaitBanner(Path logFile) {
        CountDownLatch ready = new CountDownLatch(1);
        Deque<String> tail = new ArrayDeque<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 PrintStream file = new PrintStream(Files.newOutputStream(logFile), false, StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    file.println(line);
                    if (ready.getCount() > 0) {
                        synchronized (tail) {
                            tail.addLast(line);
                            if (tail.size() > 40) {
                                tail.removeFirst();
                            }
                        }
                        if (line.startsWith("Ctrl-C stops")) {
                            file.flush();
                            ready.countDown();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the server ended
            }
        }, "load-server-console");
        drain.setDaemon(true);
        drain.start();
        try {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!ready.await(200, TimeUnit.MILLISECONDS)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    String lastLines;
                    synchronized (tail) {
                        lastLines = String.join("\n", tail);
                    }
                    throw new IllegalStateException("the local API did not start" + (process.isAlive() ? " in "
                            + START_TIMEOUT.toSeconds() + " s" : " (it exited with " + process.exitValue() + ")")
                            + "; its last lines:\n" + lastLines);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while the local API started");
        }
    }

    URI baseUrl() {
        return baseUrl;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The memory of process {@code pid} now; with {@code gcFirst}, its heap after a full GC. */
    static Memory memory(long pid, boolean gcFirst) {
        Map<String, String> status = procStatus(pid);
        long heapUsed = -1;
        long heapTotal = -1;
        if (gcFirst) {
            jcmd(pid, "GC.run");
        }
        String heap = jcmd(pid, "GC.heap_info");
        if (heap != null) {
            Matcher matcher = HEAP.matcher(heap);
            if (matcher.find()) {
                heapTotal = Long.parseLong(matcher.group(1));
                heapUsed = Long.parseLong(matcher.group(2));
            }
        }
        long childrenRss = -1;
        var handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            childrenRss = handle.get().descendants()
                    .mapToLong(child -> kib(procStatus(child.pid()).get("VmRSS")))
                    .filter(kib -> kib >= 0).sum();
        }
        int openFiles = -1;
        try (var files = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            openFiles = (int) files.count();
        } catch (IOException | UncheckedIOException e) {
            // not Linux, or not ours to read
        }
        String threads = status.get("Threads");
        return new Memory(kib(status.get("VmRSS")), kib(status.get("VmHWM")), heapUsed, heapTotal,
                threads == null ? -1 : Integer.parseInt(threads.trim()), openFiles, childrenRss);
    }

    private static Map<String, String> procStatus(long pid) {
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // not Linux, or the process is gone
        }
        return fields;
    }

    /** "123456 kB" as 123456; -1 when absent. */
    private static long kib(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.replace("kB", "").trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code jcmd PID COMMAND}'s output, or null when jcmd is missing or fails. */
    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return null;
        }
        try {
            Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops it as Ctrl-C does (its shutdown hook stops the emulator and dynalite); forcibly after 15 s. */
    @Override
    public void close() {
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) { // what it started and did not stop (it should have)
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(folder);
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
