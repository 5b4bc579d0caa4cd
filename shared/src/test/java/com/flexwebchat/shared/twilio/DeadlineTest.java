package com.flexwebchat.shared.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void twilioTimeAddedFromManyThreadsAtOnceIsNeverLost() throws Exception {
        Deadline invocation = Deadline.after(Duration.ofSeconds(10));
        Deadline.enter(invocation);
        Deadline nested = Deadline.within(Duration.ofSeconds(5));
        int threads = 8;
        int adds = 20_000;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < adds; i++) {
                    nested.addTwilioTime(1);
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(Duration.ofNanos((long) threads * adds), nested.twilioTime());
        assertEquals(Duration.ofNanos((long) threads * adds), invocation.twilioTime(), "nested time counts for the invocation");
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
