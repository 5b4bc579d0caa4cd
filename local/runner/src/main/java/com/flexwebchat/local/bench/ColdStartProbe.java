package com.flexwebchat.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.shared.snapstart.SnapStart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The half of a cold start that runs in the fresh JVM ({@link Probe} starts it): one cold start of
 * one function, in a JVM whose class path is only the function's unzipped artifact (root + lib/*),
 * this class, aws-lambda-java-serialization (which the managed runtime provides) and the harness's
 * {@link LocalContext}. It does what the Java runtime does for the first request of a new execution
 * environment: build the handler through its no-argument constructor (init), hand it the event's
 * bytes and take the answer's (the functions are {@code RequestStreamHandler}s); and prints one line:
 * <pre>COLDSTART status=200 mainEpochMicros=... initNanos=... invokeNanos=... responseBytes=...</pre>
 * With {@value #SNAPSTART} the SnapStart hooks run between init and the invoke, and the line ends
 * with {@code firstInvokeLoadedClasses=N}: the classes the JVM loaded during the invoke, which the
 * hooks' priming did not. The function's configuration comes from real environment variables set
 * by the parent.
 *
 * <p>Uses only the JDK, the Lambda libraries, the harness's {@link LocalContext} and (in the
 * SnapStart mode) the artifact's SnapStart hooks, so it loads next to nothing the artifact does not
 * carry; in the other modes it loads nothing of java.lang.management either.
 *
 * <p>With a seventh argument, a file of requests one JSON a line, the probe then serves those
 * requests in the same JVM, after its result line: the first {@code warmup} untimed, the rest
 * timed, and prints {@code WARM nanos=n1,n2,...}: the warm latency with the same JVM and flags.
 *
 * <p>Arguments: {@code handler eventFile functionName timeoutSeconds memoryMb [snapstart|-] [warmFile warmup]}.
 */
public final class ColdStartProbe {

    public static final String RESULT_PREFIX = "COLDSTART ";
    /** Optional sixth argument: run the functions' SnapStart hooks between init and the first invoke. */
    public static final String SNAPSTART = "snapstart";
    /** The line that follows the result when the probe was given warm requests. */
    public static final String WARM_PREFIX = "WARM ";

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long mainNanos = System.nanoTime();
        Instant mainAt = Instant.now();
        String handlerName = args[0];
        Path eventFile = Path.of(args[1]);
        String functionName = args[2];
        int timeoutSeconds = Integer.parseInt(args[3]);
        int memoryMb = Integer.parseInt(args[4]);
        boolean snapStart = args.length > 5 && SNAPSTART.equals(args[5]);
        String className = handlerName.contains("::") ? handlerName.substring(0, handlerName.indexOf("::")) : handlerName;

        // Init: what Lambda's INIT phase does for a Java handler.
        Object handler = Class.forName(className).getConstructor().newInstance();
        // The functions are RequestStreamHandlers: the runtime builds nothing more for them in INIT
        // and hands each one the event's bytes (aws-lambda-java-runtime-interface-client, EventHandlerLoader).
        if (!(handler instanceof RequestStreamHandler function)) {
            throw new IllegalArgumentException(className + " is not a RequestStreamHandler");
        }
        if (snapStart) {
            runSnapStartHooks();
        }
        long initDone = System.nanoTime();

        // Untimed: the class counter, only where it is reported, so the other modes load none of it.
        ClassLoadingMXBean classLoading = snapStart ? ManagementFactory.getClassLoadingMXBean() : null;
        // The runtime's context for the request: the runtime's own work (the request ID comes from
        // the Runtime API), made before the clock starts, as LocalContext draws a random UUID for it.
        Context context = new LocalContext(functionName, Duration.ofSeconds(timeoutSeconds), memoryMb);
        // The event's bytes, which the runtime has from the Runtime API before it calls the handler.
        byte[] eventJson = Files.readAllBytes(eventFile);
        FirstRequestStarts.mark();
        long classesBefore = snapStart ? classLoading.getTotalLoadedClassCount() : 0;

        // First invoke: the runtime hands over the event, the handler answers, the runtime has the answer's bytes.
        long invokeStart = System.nanoTime();
        ByteArrayOutputStream serialized = invoke(function, eventJson, context);
        long invokeDone = System.nanoTime();
        long classesAfter = snapStart ? classLoading.getTotalLoadedClassCount() : 0;
        FirstRequestEnds.mark();

        long mainEpochMicros = mainAt.getEpochSecond() * 1_000_000L + mainAt.getNano() / 1_000;
        System.out.println(RESULT_PREFIX + "status=" + statusOf(serialized)
                + " mainEpochMicros=" + mainEpochMicros
                + " initNanos=" + (initDone - mainNanos)
                + " invokeNanos=" + (invokeDone - invokeStart)
                + " responseBytes=" + serialized.size()
                + (snapStart ? " firstInvokeLoadedClasses=" + (classesAfter - classesBefore) : ""));
        System.out.flush();

        if (args.length > 7) {
            java.util.List<String> requests = Files.readAllLines(Path.of(args[6]));
            int warmup = Integer.parseInt(args[7]);
            StringBuilder nanos = new StringBuilder();
            for (int i = 0; i < requests.size(); i++) {
                byte[] json = requests.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                long start = System.nanoTime();
                invoke(function, json, new LocalContext(functionName, Duration.ofSeconds(timeoutSeconds), memoryMb));
                long took = System.nanoTime() - start;
                if (i >= warmup) {
                    nanos.append(nanos.length() == 0 ? "" : ",").append(took);
                }
            }
            System.out.println(WARM_PREFIX + "nanos=" + nanos);
            System.out.flush();
        }
    }

    /**
     * What SnapStart does around its snapshot: every registered function's beforeCheckpoint
     * (priming), then afterRestore. The probe's one use of that mechanism, so a change to it
     * changes this method only.
     */
    static void runSnapStartHooks() {
        SnapStart.simulateSnapshotAndRestore();
    }

    /** One invocation as the runtime makes it: the event's bytes in, the answer's bytes out. */
    private static ByteArrayOutputStream invoke(RequestStreamHandler function, byte[] eventJson, Context context)
            throws java.io.IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(eventJson), answer, context);
        return answer;
    }

    /** The answer's statusCode, read without a JSON library (the probe loads none of its own). */
    static int statusOf(ByteArrayOutputStream answer) {
        java.util.regex.Matcher status = java.util.regex.Pattern.compile("\"statusCode\"\\s*:\\s*(\\d+)")
                .matcher(answer.toString(java.nio.charset.StandardCharsets.UTF_8));
        return status.find() ? Integer.parseInt(status.group(1)) : 0;
    }

    /**
     * Loaded just before the first request is counted: with {@code -Xlog:class+load}, the classes
     * logged between this one and {@link FirstRequestEnds} are the ones the first request loaded.
     */
    static final class FirstRequestStarts {
        static void mark() {
        }
    }

    /** Loaded just after the first request is counted; see {@link FirstRequestStarts}. */
    static final class FirstRequestEnds {
        static void mark() {
        }
    }
}
