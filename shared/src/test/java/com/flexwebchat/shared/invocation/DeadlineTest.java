package com.flexwebchat.shared.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    @AfterEach
    void clean() {
        Deadline.exit();
    }

    @Test
    void aNestedDeadlineEndsNoLaterThanTheOneItIsIn() {
        Deadline.enter(Deadline.after(Duration.ofMillis(200)));
        assertTrue(Deadline.within(Duration.ofSeconds(5)).remaining().toMillis() <= 200);
        assertTrue(Deadline.within(Duration.ofMillis(50)).remaining().toMillis() <= 50);
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
