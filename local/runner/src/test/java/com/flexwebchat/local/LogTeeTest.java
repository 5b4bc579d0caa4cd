package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** {@link LogTee}: the console gets every byte as before; a sink gets the whole lines its own thread wrote. */
class LogTeeTest {

    @Test
    void theConsoleGetsEveryByteAndTheBoundSinkEveryLineOfItsThread() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = LogTee.around(console);
        List<String> lines = new ArrayList<>();

        out.println("before: nobody listens");
        String answer = LogTee.feeding(lines::add, () -> {
            out.println("{\"message\":\"one\"}");
            out.print("{\"message\":");
            out.print("\"two, in pieces\"}\r\n");
            out.println("été ✓");
            return "done";
        });
        out.println("after: nobody listens");

        assertEquals("done", answer);
        assertEquals(List.of("{\"message\":\"one\"}", "{\"message\":\"two, in pieces\"}", "été ✓"), lines);
        assertEquals("before: nobody listens\n{\"message\":\"one\"}\n{\"message\":\"two, in pieces\"}\r\nété ✓\n"
                + "after: nobody listens\n", console.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void eachThreadFeedsItsOwnSink() throws Exception {
        PrintStream out = LogTee.around(new ByteArrayOutputStream());
        List<String> first = Collections.synchronizedList(new ArrayList<>());
        List<String> second = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch both = new CountDownLatch(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = threads.submit(() -> LogTee.feeding(first::add, () -> write(out, "a", both)));
            Future<?> b = threads.submit(() -> LogTee.feeding(second::add, () -> write(out, "b", both)));
            a.get();
            b.get();
        } finally {
            threads.shutdownNow();
        }
        assertEquals(200, first.size());
        assertEquals(200, second.size());
        assertTrue(first.stream().allMatch(line -> line.startsWith("a ")), first.toString());
        assertTrue(second.stream().allMatch(line -> line.startsWith("b ")), second.toString());
    }

    private static Void write(PrintStream out, String who, CountDownLatch both) throws InterruptedException {
        both.countDown();
        both.await();
        for (int i = 0; i < 200; i++) {
            out.println(who + " " + i);
        }
        return null;
    }

    @Test
    void aSinkThatFailsOrALineTooLongCostsTheConsoleNothing() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = LogTee.around(console);
        List<String> lines = new ArrayList<>();
        String huge = "x".repeat(LogTee.MAX_LINE_BYTES + 1);

        LogTee.feeding(line -> {
            if (line.equals("boom")) {
                throw new IllegalStateException("a sink that fails");
            }
            lines.add(line);
        }, () -> {
            out.println("boom");
            out.println(huge);
            out.println("next");
            return null;
        });

        assertEquals(List.of("next"), lines, "the long line is not handed on; the next one is");
        assertEquals(4 + 1 + huge.length() + 1 + 4 + 1, console.size(), "every byte reached the console");
        assertTrue(!out.checkError());
    }
}
