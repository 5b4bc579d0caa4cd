package com.flexwebchat.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The functions' log output, passed on byte for byte to where it went before (the console), with each whole line
 * also handed to the {@link LocalMetrics} of the invocation that wrote it.
 *
 * <p>The functions log through {@code com.flexwebchat.shared.log.Log}, one stream for the whole JVM; {@code ./run-local}
 * points it at a tee around stdout ({@link #around}, in {@link LocalApi#main}). Which run's metrics a line belongs
 * to is known by the thread that writes it: {@link LocalApi} runs each handler inside {@link #feeding}, which binds
 * that run's sink to the invocation's thread for the time of the call, so two APIs in one JVM (tests start several)
 * never count each other's lines, and lines written outside an invocation (start-up, the tests' own) reach none.
 * Bytes are assembled into lines per thread: a PrintStream writes each println whole under its lock, and a thread's
 * own bytes cannot interleave with themselves.
 */
final class LogTee extends OutputStream {

    /** A line longer than this is passed on to the console but not to the sink (CloudWatch's own event limit is 256 KB). */
    static final int MAX_LINE_BYTES = 1024 * 1024;

    /** The sink of the invocation running on this thread, and the line it is writing. */
    private static final ThreadLocal<Binding> BINDING = new ThreadLocal<>();

    private static final class Binding {
        final Consumer<String> sink;
        final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        boolean tooLong;

        Binding(Consumer<String> sink) {
            this.sink = sink;
        }
    }

    private final OutputStream delegate;

    LogTee(OutputStream delegate) {
        this.delegate = Objects.requireNonNull(delegate);
    }

    /** A UTF-8 PrintStream that flushes on each line, writing to {@code delegate} through a tee. */
    static PrintStream around(OutputStream delegate) {
        return new PrintStream(new LogTee(delegate), true, StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code work} with {@code sink} told every whole line this thread writes through any tee meanwhile; then
     * puts back what was bound before (a handler that runs another in its thread keeps its own).
     */
    static <T> T feeding(Consumer<String> sink, Callable<T> work) throws Exception {
        Binding previous = BINDING.get();
        BINDING.set(new Binding(sink));
        try {
            return work.call();
        } finally {
            if (previous == null) {
                BINDING.remove();
            } else {
                BINDING.set(previous);
            }
        }
    }

    @Override
    public void write(int b) throws IOException {
        delegate.write(b);
        Binding binding = BINDING.get();
        if (binding != null) {
            take(binding, new byte[] {(byte) b}, 0, 1);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        delegate.write(bytes, offset, length);
        Binding binding = BINDING.get();
        if (binding != null) {
            take(binding, bytes, offset, length);
        }
    }

    @Override
    public void flush() throws IOException {
        delegate.flush();
    }

    /** Flushes; the console is not this stream's to close. */
    @Override
    public void close() throws IOException {
        delegate.flush();
    }

    private static void take(Binding binding, byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                append(binding, bytes, start, i - start);
                finishLine(binding);
                start = i + 1;
            }
        }
        append(binding, bytes, start, end - start);
    }

    private static void append(Binding binding, byte[] bytes, int offset, int length) {
        if (binding.tooLong || length == 0) {
            return;
        }
        if (binding.line.size() + length > MAX_LINE_BYTES) {
            binding.tooLong = true;
            binding.line.reset();
            return;
        }
        binding.line.write(bytes, offset, length);
    }

    private static void finishLine(Binding binding) {
        boolean deliver = !binding.tooLong;
        String line = deliver ? binding.line.toString(StandardCharsets.UTF_8) : null;
        binding.line.reset();
        binding.tooLong = false;
        if (!deliver) {
            return;
        }
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        try {
            binding.sink.accept(line);
        } catch (RuntimeException e) {
            // The metrics are a view of the logs; they never cost a function its log line or its answer.
        }
    }
}
