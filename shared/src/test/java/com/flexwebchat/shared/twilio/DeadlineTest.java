package com.flexwebchat.shared.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @AfterEach
    void clean() {
        Deadline.exit();
    }

    @Test
    void overlappingTwilioCallsCountOnceAndNestedTimeCountsForTheInvocation() throws Exception {
        Deadline invocation = Deadline.after(Duration.ofSeconds(10));
        Deadline.enter(invocation);
        Deadline nested = Deadline.within(Duration.ofSeconds(5));

        nested.twilioCallStarted();      // call A
        Thread.sleep(50);
        invocation.twilioCallStarted();  // call B, overlapping A
        Thread.sleep(50);
        nested.twilioCallEnded();        // A done after ~100 ms
        Thread.sleep(50);
        invocation.twilioCallEnded();    // B done: ~150 ms with a call in flight, ~200 ms of calls

        long invocationMillis = invocation.twilioTime().toMillis();
        assertTrue(invocationMillis >= 145 && invocationMillis < 195, invocationMillis + " ms");
        long nestedMillis = nested.twilioTime().toMillis();
        assertTrue(nestedMillis >= 95 && nestedMillis < 145, nestedMillis + " ms");
    }

    @Test
    void callsFromManyThreadsAtOnceLeaveNothingOpen() throws Exception {
        Deadline invocation = Deadline.after(Duration.ofSeconds(10));
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    invocation.twilioCallStarted();
                    invocation.twilioCallEnded();
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        Duration settled = invocation.twilioTime();
        Thread.sleep(20);
        assertEquals(settled, invocation.twilioTime(), "no call is left counted as in flight");
    }

    @Test
    void runWithARunnablePutsBackTheDeadlineThatWasCurrent() {
        Deadline outer = Deadline.after(Duration.ofSeconds(1));
        Deadline inner = Deadline.after(Duration.ofSeconds(2));
        Deadline.enter(outer);
        Deadline[] seen = {null};
        inner.run(() -> {
            seen[0] = Deadline.current();
        });
        assertEquals(inner, seen[0]);
        assertEquals(outer, Deadline.current());
    }
}
