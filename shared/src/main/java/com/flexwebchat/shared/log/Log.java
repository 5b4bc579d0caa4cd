package com.flexwebchat.shared.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.redaction.CardNumberRedactor;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line on stdout, the shape Lambda's JSON log format uses
 * ({@code timestamp}, {@code level}, {@code message}, {@code requestId}), so CloudWatch and
 * ApplicationLogLevel filtering treat our lines like the runtime's own.
 *
 * <p>Each invocation's context (request id, conversation SID) is attached to every line it logs.
 * Callers pass only identifiers and outcomes: never a secret, a token, a message body or a
 * pre-engagement value. That rule is kept at the call sites and checked by tests that scan the
 * captured output. Some identifiers come from the request, though (an {@code Origin}, a
 * {@code Host}), so card numbers are masked in everything a line carries, message, context and
 * fields ({@link CardNumberRedactor}): a card number never reaches a log, whoever sent it.
 */
public final class Log {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    private static final ThreadLocal<Map<String, String>> CONTEXT =
            ThreadLocal.withInitial(LinkedHashMap::new);
    private static final ThreadLocal<Boolean> MUTED = ThreadLocal.withInitial(() -> false);
    private static volatile PrintStream out = System.out;
    private static final CardNumberRedactor REDACTOR = new CardNumberRedactor();

    private Log() {
    }

    /** The system property in which Lambda's Java runtime gives each invocation's X-Ray trace header. */
    public static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";

    /**
     * Starts an invocation's context, dropping whatever a previous invocation left: the request's
     * id, and the X-Ray trace id when Lambda gives one (the Java runtime sets it per invocation as
     * the system property {@code com.amazonaws.xray.traceHeader}, "Root=1-...;Parent=...;Sampled=1";
     * https://docs.aws.amazon.com/lambda/latest/dg/java-tracing.html), so logs and traces join.
     */
    public static void begin(String requestId) {
        Map<String, String> context = CONTEXT.get();
        context.clear();
        if (requestId != null) {
            context.put("requestId", requestId);
        }
        String traceId = traceId(System.getProperty(TRACE_HEADER_PROPERTY));
        if (traceId != null) {
            context.put("traceId", traceId);
        }
    }

    /** The {@code Root} of an X-Ray trace header, when it is one. */
    static String traceId(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String trimmed = part.trim();
            if (trimmed.startsWith("Root=") && trimmed.length() <= 64 && trimmed.substring(5).matches("[0-9a-fA-F-]{1,58}")) {
                return trimmed.substring(5);
            }
        }
        return null;
    }

    /** Adds an identifier (for example {@code conversationSid}) to every later line of this invocation. */
    public static void put(String key, String value) {
        if (value != null) {
            CONTEXT.get().put(key, value);
        }
    }

    public static void end() {
        CONTEXT.remove();
    }

    /** A copy of this thread's context, for work the invocation hands to another thread ({@link #withContext}). */
    public static Map<String, String> context() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(CONTEXT.get()));
    }

    /**
     * Runs {@code work} with {@code context} (from {@link #context()}) as this thread's context,
     * so its lines carry the invocation's request id and SIDs; then puts back what was there.
     */
    public static void withContext(Map<String, String> context, Runnable work) {
        Map<String, String> current = CONTEXT.get();
        Map<String, String> previous = new LinkedHashMap<>(current);
        current.clear();
        current.putAll(context);
        try {
            work.run();
        } finally {
            if (previous.isEmpty()) {
                CONTEXT.remove();
            } else {
                Map<String, String> restored = CONTEXT.get();
                restored.clear();
                restored.putAll(previous);
            }
        }
    }

    public static void debug(String message, Object... fields) {
        write(Level.DEBUG, message, fields);
    }

    public static void info(String message, Object... fields) {
        write(Level.INFO, message, fields);
    }

    public static void warn(String message, Object... fields) {
        write(Level.WARN, message, fields);
    }

    public static void error(String message, Object... fields) {
        write(Level.ERROR, message, fields);
    }

    /**
     * Runs work whose lines nobody needs (requests that serve no visitor) without logging them:
     * each line is still made as for real, masking and metrics included, then dropped, so that
     * work runs the same code as a visitor's request does.
     */
    public static void muted(Runnable work) {
        MUTED.set(true);
        try {
            work.run();
        } finally {
            MUTED.remove();
        }
    }

    /** Where lines go; tests point it at a buffer to read what was logged. */
    public static void redirect(PrintStream target) {
        out = target == null ? System.out : target;
    }

    /** The text with card numbers masked (a Twilio SID stays whole: {@link CardNumberRedactor}). */
    private static String masked(String text) {
        return text == null ? null : REDACTOR.redact(text).text();
    }

    /**
     * An INFO line that also carries {@code metrics} at its top level: the invocation's Embedded
     * Metric Format block and values ({@code shared.metrics.Metrics}), numbers and fixed codes only.
     */
    public static void infoWithMetrics(String message, ObjectNode metrics, Object... fields) {
        write(Level.INFO, message, fields, metrics);
    }

    private static void write(Level level, String message, Object[] fields) {
        write(level, message, fields, null);
    }

    private static void write(Level level, String message, Object[] fields, ObjectNode topLevel) {
        ObjectNode line = Json.object();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level.name());
        line.put("message", masked(message));
        CONTEXT.get().forEach((key, value) -> line.put(key, masked(value)));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object value = fields[i + 1];
            String key = String.valueOf(fields[i]);
            if (value == null) {
                continue;
            }
            if (value instanceof Double number) {
                line.put(key, number);
            } else if (value instanceof Number number) {
                String digits = String.valueOf(number.longValue());
                String masked = masked(digits);
                if (masked.equals(digits)) {
                    line.put(key, number.longValue());
                } else {
                    line.put(key, masked);
                }
            } else if (value instanceof Boolean flag) {
                line.put(key, flag);
            } else {
                line.put(key, masked(value.toString()));
            }
        }
        if (topLevel != null) {
            line.setAll(topLevel);
        }
        String text = Json.write(line);
        if (!MUTED.get()) {
            out.println(text);
        }
    }
}
