package com.flexwebchat.local.bench;

import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.local.bench.Workload.Subject;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Warm latency: a function's handler, built once in this JVM as a warm Lambda keeps it, invoked
 * {@code warmup} times, then timed over {@code iterations} more, each split into the time with a
 * call to Twilio or the store in flight (as the function logs it, overlapping calls once) and the
 * rest, our own code.
 *
 * @param invocations the timed invocations (fewer than asked when the time budget ran out)
 * @param non200      how many of them did not succeed
 * @param totalMillis the handler's time, per invocation
 * @param ownMillis   the handler's time less its time waiting on Twilio and the store
 * @param twilioMillis its Twilio time
 * @param storeMillis  its store time (DynamoDB: dynalite here)
 */
public record WarmRun(int invocations, int non200, double[] totalMillis, double[] ownMillis, double[] twilioMillis,
                      double[] storeMillis) {

    /** Bounds each function's warm phase whatever {@code iterations} says. */
    static final Duration BUDGET = Duration.ofSeconds(25);
    static WarmRun measure(Workload workload, Subject subject, int warmup, int iterations) {
        try {
            return measure(workload, subject, () -> workload.eventJson(subject), warmup, iterations, BUDGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WarmRun measure(Workload workload, Subject subject, Supplier<byte[]> requests, int warmup,
                                   int iterations, Duration budget) throws IOException {
        HttpApiHandler handler = workload.handler(subject);
        LogCapture logs = new LogCapture();
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        double[] total = new double[iterations];
        double[] own = new double[iterations];
        double[] twilio = new double[iterations];
        double[] store = new double[iterations];
        int errors = 0;
        int measured = 0;
        long deadline = System.nanoTime() + budget.toNanos();
        try {
            for (int i = 0; i < warmup && System.nanoTime() < deadline; i++) {
                handler.handleRequest(new ByteArrayInputStream(requests.get()), new ByteArrayOutputStream(),
                        new LocalContext(subject.id(), subject.timeout()));
            }
            logs.drain();
            for (; measured < iterations && System.nanoTime() < deadline; measured++) {
                byte[] event = requests.get();
                logs.drain(); // making the request may have started a chat: none of its calls are this one's
                LocalContext context = new LocalContext(subject.id(), subject.timeout());
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                // As the runtime calls the function: the event's bytes in, the answer's out.
                long start = System.nanoTime();
                handler.handleRequest(new ByteArrayInputStream(event), answer, context);
                long nanos = System.nanoTime() - start;
                if (!Workload.succeeded(Json.MAPPER.readTree(answer.toByteArray()).path("statusCode").asInt())) {
                    errors++;
                }
                double twilioMillis = 0;
                double storeMillis = 0;
                double waitingMillis = 0;
                for (String line : logs.drain()) {
                    twilioMillis = LogCapture.twilioMillis(line, twilioMillis);
                    storeMillis = LogCapture.storeMillis(line, storeMillis);
                    waitingMillis = LogCapture.waitingMillis(line, waitingMillis);
                }
                total[measured] = nanos / 1e6;
                twilio[measured] = twilioMillis;
                store[measured] = storeMillis;
                own[measured] = Math.max(0, nanos / 1e6 - waitingMillis);
            }
        } finally {
            Log.redirect(null);
        }
        return new WarmRun(measured, errors, Arrays.copyOf(total, measured), Arrays.copyOf(own, measured),
                Arrays.copyOf(twilio, measured), Arrays.copyOf(store, measured));
    }
}
