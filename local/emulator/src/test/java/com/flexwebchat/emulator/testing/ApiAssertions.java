package com.flexwebchat.emulator.testing;

import com.twilio.exception.ApiException;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on what the emulator answers, as the SDK reports it. */
public final class ApiAssertions {

    private ApiAssertions() {
    }

    /** The call fails with Twilio's error shape: this HTTP status and Twilio error code, and the code's docs link. */
    public static void assertError(int status, int code, Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        assertEquals(status, e.getStatusCode(), e.getMessage());
        assertEquals(code, e.getCode(), e.getMessage());
        assertEquals("https://www.twilio.com/docs/errors/" + code, e.getMoreInfo());
    }

    /** One of the contract checker's {@code violations} contains {@code expected}. */
    public static void assertViolation(List<String> violations, String expected) {
        assertTrue(violations.stream().anyMatch(v -> v.contains(expected)),
                "expected a violation containing <" + expected + "> in " + violations);
    }
}
