package com.flexwebchat.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
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
 * environment: build the handler through its no-argument constructor (init), deserialize the
 * event, invoke, serialize the response; and prints one line:
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

    @SuppressWarnings({"unchecked", "rawtypes"})
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
        // A RequestStreamHandler gets the event's bytes as they are; for a RequestHandler the runtime
        // builds the event and response serialisers while it loads the handler, in INIT
        // (aws-lambda-java-runtime-interface-client, EventHandlerLoader).
        Invoker invoker = handler instanceof RequestStreamHandler stream ? new Invoker(stream, null, null)
                : new Invoker(null, (RequestHandler) handler, ColdStartProbe.class.getClassLoader());
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
        ByteArrayOutputStream serialized = invoker.invoke(eventJson, context);
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
                invoker.invoke(json, new LocalContext(functionName, Duration.ofSeconds(timeoutSeconds), memoryMb));
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

    /**
     * What the runtime does with one event: hands a {@code RequestStreamHandler} the bytes, or
     * deserialises the event for a {@code RequestHandler} and serialises its answer.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final class Invoker {
        private final RequestStreamHandler stream;
        private final RequestHandler pojo;
        private final PojoSerializer<APIGatewayV2HTTPEvent> events;
        private final PojoSerializer<APIGatewayV2HTTPResponse> responses;

        Invoker(RequestStreamHandler stream, RequestHandler pojo, ClassLoader loader) {
            this.stream = stream;
            this.pojo = pojo;
            this.events = pojo == null ? null : LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, loader);
            this.responses = pojo == null ? null : LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, loader);
        }

        ByteArrayOutputStream invoke(byte[] eventJson, Context context) throws java.io.IOException {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            if (stream != null) {
                stream.handleRequest(new ByteArrayInputStream(eventJson), answer, context);
            } else {
                Object response = pojo.handleRequest(events.fromJson(new ByteArrayInputStream(eventJson)), context);
                responses.toJson((APIGatewayV2HTTPResponse) response, answer);
            }
            return answer;
        }
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
