package com.flexwebchat.shared.config;

import java.util.Map;

/**
 * The process environment, the single source {@link WebChatConfig#fromEnvironment()} reads.
 * The local runner and the event tests run handlers in one JVM the way {@code sam local invoke
 * --env-vars} runs them in a container: with their own variables. They install those here
 * instead of the real environment; in Lambda nothing ever does.
 */
public final class ProcessEnvironment {

    private static volatile Map<String, String> override;

    private ProcessEnvironment() {
    }

    public static Map<String, String> get() {
        Map<String, String> local = override;
        return local != null ? local : System.getenv();
    }

    /** For local runs and tests only: handlers built after this see {@code variables} as their environment. */
    public static void overrideForLocalRun(Map<String, String> variables) {
        override = variables == null ? null : Map.copyOf(variables);
    }
}
