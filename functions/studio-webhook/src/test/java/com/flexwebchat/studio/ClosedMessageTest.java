package com.flexwebchat.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The sentence a visitor reads when writing outside business hours. */
class ClosedMessageTest {

    /** Monday 23 November 2026, 12:30 in Oslo. */
    static final Instant LUNCH = Instant.parse("2026-11-23T11:30:00Z");

    static String at(String opensAt) {
        return ClosedMessage.of(ZonedDateTime.parse(opensAt), LUNCH);
    }

    @Test
    void laterTheSameDayIsToday() {
        assertEquals("We're closed right now. We open again today at 13:00 (Europe/Oslo).",
                at("2026-11-23T13:00+01:00[Europe/Oslo]"));
    }

    @Test
    void theNextDayIsTomorrowAndWithinAWeekTheWeekday() {
        assertEquals("We're closed right now. We open again tomorrow at 09:00 (Europe/Oslo).", at("2026-11-24T09:00+01:00[Europe/Oslo]"));
        assertEquals("We're closed right now. We open again Sunday at 10:30 (Europe/Oslo).", at("2026-11-29T10:30+01:00[Europe/Oslo]"));
    }

    @Test
    void aWeekOrMoreAheadGivesTheDate() {
        assertEquals("We're closed right now. We open again Monday 30 November at 09:00 (Europe/Oslo).",
                at("2026-11-30T09:00+01:00[Europe/Oslo]"));
        assertEquals("We're closed right now. We open again Monday 4 January at 09:00 (Europe/Oslo).",
                at("2027-01-04T09:00+01:00[Europe/Oslo]"));
    }

    @Test
    void theDayIsTheBusinessZonesDay() {
        // 23:30 UTC on the 23rd is already the 24th in Tokyo.
        assertEquals("We're closed right now. We open again today at 09:00 (Asia/Tokyo).",
                ClosedMessage.of(ZonedDateTime.parse("2026-11-24T09:00+09:00[Asia/Tokyo]"), Instant.parse("2026-11-23T23:30:00Z")));
    }

    @Test
    void withNoOpeningAheadItOnlySaysClosed() {
        assertEquals("We're closed right now.", ClosedMessage.of(null, LUNCH));
    }
}
