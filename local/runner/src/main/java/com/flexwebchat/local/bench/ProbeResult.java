package com.flexwebchat.local.bench;

import java.util.OptionalLong;

/**
 * One cold start of one function in a fresh JVM, as the parent saw it and the probe reported it.
 *
 * @param function                 the function's logical ID in template.yaml
 * @param event                    the {@code events/} file the first request was made from, or null
 *                                 for the benchmark's own request to the function's route
 * @param mode                     how it was started
 * @param status                   the first invoke's HTTP status
 * @param firstAnswerMillis        from spawning the JVM to reading the probe's result (parent's clock)
 * @param spawnToMainMillis        from spawning the JVM to the probe's main (wall clocks of both)
 * @param initMillis               from main to the handler and the runtime's serialisers built,
 *                                 the SnapStart hooks included in {@link Mode#SNAPSTART}
 * @param firstInvokeMillis        the first invoke: event deserialized, handled, answer serialized
 * @param firstInvokeTwilioMillis  the time the first invoke spent in Twilio calls, as the function
 *                                 logged it (NaN when it logged none)
 * @param firstInvokeLoadedClasses the classes the JVM loaded during the first invoke; measured in
 *                                 {@link Mode#SNAPSTART} only (what the hooks' priming left to load)
 * @param warmMillis               when the probe was given warm requests after its first: each timed
 *                                 one's time (deserialize, handle, serialize), in the same JVM; else empty
 */
public record ProbeResult(String function, String event, Mode mode, int status, double firstAnswerMillis, double spawnToMainMillis,
                          double initMillis, double firstInvokeMillis, double firstInvokeTwilioMillis,
                          OptionalLong firstInvokeLoadedClasses, double[] warmMillis) {

    /** Without warm requests. */
    public ProbeResult(String function, String event, Mode mode, int status, double firstAnswerMillis, double spawnToMainMillis,
                       double initMillis, double firstInvokeMillis, double firstInvokeTwilioMillis,
                       OptionalLong firstInvokeLoadedClasses) {
        this(function, event, mode, status, firstAnswerMillis, spawnToMainMillis, initMillis, firstInvokeMillis,
                firstInvokeTwilioMillis, firstInvokeLoadedClasses, new double[0]);
    }

    /** 200, or 204 for TaskRouter's event callback, which expects no body. */
    public boolean succeeded() {
        return Workload.succeeded(status);
    }
}
