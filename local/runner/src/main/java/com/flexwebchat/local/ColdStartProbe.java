package com.flexwebchat.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.flexwebchat.harness.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The child half of {@link ColdStartBenchmark}: one cold start of one function, in a fresh JVM
 * whose class path is only the function's unzipped artifact (root + lib/*), this class, and
 * aws-lambda-java-serialization (which the managed runtime provides). It does what the Java
 * runtime does for the first request of a new execution environment: build the handler through
 * its no-argument constructor (init), deserialize the event, invoke, serialize the response; and
 * prints one line:
 * <pre>COLDSTART status=200 mainEpochMicros=... initNanos=... invokeNanos=...</pre>
 * The function's configuration comes from real environment variables set by the parent.
 *
 * <p>Uses only the JDK, the Lambda libraries and the harness's {@link LocalContext}, so it loads
 * next to nothing the artifact does not carry.
 *
 * <p>Arguments: {@code handler eventFile functionName timeoutSeconds memoryMb [snapstart]}.
 */
public final class ColdStartProbe {

    public static final String RESULT_PREFIX = "COLDSTART ";
    /** Optional sixth argument: run the functions' SnapStart hooks between init and the first invoke. */
    public static final String SNAPSTART = "snapstart";
    private static final String HOOKS = "com.flexwebchat.shared.snapstart.SnapStart";

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
        String className = handlerName.contains("::") ? handlerName.substring(0, handlerName.indexOf("::")) : handlerName;

        // Init: what Lambda's INIT phase does for a Java handler.
        Object handler = Class.forName(className).getConstructor().newInstance();
        // The runtime builds the handler's event serialisers while it loads the handler, in INIT.
        ClassLoader loader = ColdStartProbe.class.getClassLoader();
        PojoSerializer<APIGatewayV2HTTPEvent> events = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, loader);
        PojoSerializer<APIGatewayV2HTTPResponse> responses = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, loader);
        if (args.length > 5 && SNAPSTART.equals(args[5])) {
            // What SnapStart does around its snapshot: beforeCheckpoint (priming), then afterRestore.
            Class.forName(HOOKS).getMethod("simulateSnapshotAndRestore").invoke(null);
        }
        long initDone = System.nanoTime();

        // First invoke: the runtime deserializes the event, calls the handler, serializes the answer.
        byte[] eventJson = Files.readAllBytes(eventFile);
        APIGatewayV2HTTPEvent event = events.fromJson(new ByteArrayInputStream(eventJson));
        Context context = new LocalContext(functionName, Duration.ofSeconds(timeoutSeconds), memoryMb);
        APIGatewayV2HTTPResponse response = (APIGatewayV2HTTPResponse) ((RequestHandler) handler).handleRequest(event, context);
        ByteArrayOutputStream serialized = new ByteArrayOutputStream();
        responses.toJson(response, serialized);
        long invokeDone = System.nanoTime();

        long mainEpochMicros = mainAt.getEpochSecond() * 1_000_000L + mainAt.getNano() / 1_000;
        System.out.println(RESULT_PREFIX + "status=" + (response == null ? 0 : response.getStatusCode())
                + " mainEpochMicros=" + mainEpochMicros
                + " initNanos=" + (initDone - mainNanos)
                + " invokeNanos=" + (invokeDone - initDone)
                + " responseBytes=" + serialized.size());
        System.out.flush();
    }
}
