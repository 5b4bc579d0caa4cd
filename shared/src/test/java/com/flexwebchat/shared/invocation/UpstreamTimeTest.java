package com.flexwebchat.shared.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamTimeTest {

    @Test
    void overlappingCallsCountOnce() throws Exception {
        UpstreamTime time = new UpstreamTime();

        time.callStarted("twilio");      // call A
        Thread.sleep(50);
        time.callStarted("twilio");      // call B, overlapping A
        Thread.sleep(50);
        time.callEnded("twilio");        // A done after ~100 ms
        Thread.sleep(50);
        time.callEnded("twilio");        // B done: ~150 ms with a call in flight, ~200 ms of calls

        long millis = time.of("twilio").toMillis();
        assertTrue(millis >= 145 && millis < 195, millis + " ms");
        assertEquals(Duration.ZERO, time.of("store"), "each upstream counts on its own");
    }

    @Test
    void waitingCountsAMomentWithCallsToSeveralServicesOnce() throws Exception {
        UpstreamTime time = new UpstreamTime();

        time.callStarted("twilio");      // Twilio from 0 to ~100 ms
        Thread.sleep(50);
        time.callStarted("store");       // the store from ~50 to ~150 ms, beside it
        Thread.sleep(50);
        time.callEnded("twilio");
        Thread.sleep(50);
        time.callEnded("store");
        Thread.sleep(50);                // nothing in flight
        time.callStarted("store");       // the store again for ~50 ms
        Thread.sleep(50);
        time.callEnded("store");

        long waiting = time.waiting().toMillis();
        long sum = time.of("twilio").toMillis() + time.of("store").toMillis();
        assertTrue(waiting >= 195 && waiting < 260, waiting + " ms");
        assertTrue(sum - waiting >= 45, "the overlap counted once: " + sum + " ms of calls, " + waiting + " ms waiting");
    }

    @Test
    void callsFromManyThreadsAtOnceLeaveNothingOpen() throws Exception {
        UpstreamTime time = new UpstreamTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread worker = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    time.callStarted("twilio");
                    time.callEnded("twilio");
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        Duration settled = time.of("twilio");
        Thread.sleep(20);
        assertEquals(settled, time.of("twilio"), "no call is left counted as in flight");
    }
}
