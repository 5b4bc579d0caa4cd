package com.flexwebchat.studio;

import com.flexwebchat.shared.config.ConfigException;
import com.flexwebchat.shared.config.SecretSource;
import com.flexwebchat.shared.config.WebChatConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BusinessHoursTest {

    static final SecretSource NO_SECRETS = arn -> {
        throw new AssertionError("no secret is read here");
    };

    static final String OSLO = "Europe/Oslo";
    static final String NEW_YORK = "America/New_York";
    static final String WEEKDAYS = "Mon-Fri 09:00-17:30; Sat 10:00-14:00";

    static BusinessHours hours(String hours, String zone) {
        return BusinessHours.parse(hours, zone, null);
    }

    /** The instant of a wall-clock time in a zone; for an ambiguous time, the earlier one. */
    static Instant local(String dateTime, String zone) {
        return LocalDateTime.parse(dateTime).atZone(ZoneId.of(zone)).toInstant();
    }

    static void assertOpen(BusinessHours hours, Instant at) {
        BusinessHours.Status status = hours.at(at);
        assertTrue(status.open(), "open at " + at);
        assertNull(status.opensAt());
    }

    static ZonedDateTime assertClosed(BusinessHours hours, Instant at) {
        BusinessHours.Status status = hours.at(at);
        assertFalse(status.open(), "closed at " + at);
        return status.opensAt();
    }

    @Nested
    class Parsing {

        @Test
        void unsetHoursAreAlwaysOpen() {
            assertSame(BusinessHours.ALWAYS_OPEN, BusinessHours.parse(null, null, null));
            assertSame(BusinessHours.ALWAYS_OPEN, BusinessHours.parse("  ", OSLO, ""));
            assertTrue(BusinessHours.ALWAYS_OPEN.alwaysOpen());
            assertEquals(new BusinessHours.Status(true, null), BusinessHours.ALWAYS_OPEN.at(Instant.parse("2026-12-25T03:00:00Z")));
        }

        @Test
        void readsRangesSingleDaysListsAndSeveralRangesPerDay() {
            BusinessHours hours = hours("Mon-Wed 09:00-12:00,13:00-17:00; Thu,Sat 10:00-14:00; sunday 08:00-24:00", OSLO);

            assertOpen(hours, local("2026-11-23T09:00", OSLO));        // Mon
            assertClosed(hours, local("2026-11-23T12:30", OSLO));      // lunch
            assertOpen(hours, local("2026-11-25T16:59", OSLO));        // Wed
            assertOpen(hours, local("2026-11-26T10:00", OSLO));        // Thu
            assertClosed(hours, local("2026-11-27T11:00", OSLO));      // Fri: not listed
            assertOpen(hours, local("2026-11-28T13:59", OSLO));        // Sat
            assertOpen(hours, local("2026-11-29T23:59:59", OSLO));     // Sun, up to 24:00
            assertEquals(ZoneId.of(OSLO), hours.zone());
        }

        @Test
        void aDayRangeMayWrapPastSunday() {
            BusinessHours hours = hours("Fri-Mon 10:00-11:00", OSLO);
            for (int day = 0; day < 7; day++) {
                LocalDate date = LocalDate.parse("2026-11-23").plusDays(day);
                boolean listed = List.of(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY)
                        .contains(date.getDayOfWeek());
                assertEquals(listed, hours.at(local(date + "T10:30", OSLO)).open(), date.toString());
            }
        }

        @Test
        void rulesForTheSameDayAreMerged() {
            BusinessHours hours = hours("Mon-Fri 09:00-12:00; Mon 11:00-13:00,13:00-14:00", OSLO);
            assertOpen(hours, local("2026-11-23T13:30", OSLO));
            assertEquals(local("2026-11-24T09:00", OSLO), assertClosed(hours, local("2026-11-23T14:00", OSLO)).toInstant());
        }

        @Test
        void toleratesSpacesAndATrailingSemicolon() {
            BusinessHours hours = hours(" Mon , Tue  9:00 - 17:00 , 18:00-19:00 ; ", OSLO);
            assertOpen(hours, local("2026-11-24T09:00", OSLO));
            assertOpen(hours, local("2026-11-24T18:30", OSLO));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "Mon-Fri",                      // no times
                "09:00-17:00",                  // no days
                "Funday 09:00-17:00",           // not a day
                "Mon-Fri 9-17",                 // not a time range
                "Mon 17:00-09:00",              // ends before it starts
                "Mon 09:00-09:00",              // empty
                "Mon 22:00-02:00",              // past midnight
                "Mon 24:00-24:00",              // 24:00 only as an end
                "Mon 09:00-24:30",
                "Mon 25:00-26:00",
                "Mon 09:60-10:00",
                "Mon,,Tue 09:00-10:00",
                "Mon 09:00-10:00; Tue"})
        void refusesMalformedHoursNamingBusinessHours(String value) {
            ConfigException error = assertThrows(ConfigException.class, () -> BusinessHours.parse(value, OSLO, null));
            assertTrue(error.getMessage().startsWith("BUSINESS_HOURS "), error.getMessage());
        }

        @Test
        void hoursNeedATimezone() {
            ConfigException error = assertThrows(ConfigException.class, () -> BusinessHours.parse(WEEKDAYS, null, null));
            assertTrue(error.getMessage().startsWith("BUSINESS_TIMEZONE is required"), error.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"Mars/Olympus_Mons", "CEST", "+01:00", "UTC+1", "GMT-05:00", "Z"})
        void refusesAZoneThatIsNotAnIanaRegionNamingBusinessTimezone(String zone) {
            ConfigException error = assertThrows(ConfigException.class, () -> BusinessHours.parse(WEEKDAYS, zone, null));
            assertTrue(error.getMessage().startsWith("BUSINESS_TIMEZONE must be an IANA time zone"), error.getMessage());
        }

        @Test
        void anInvalidZoneIsRefusedEvenWithoutHours() {
            assertTrue(assertThrows(ConfigException.class, () -> BusinessHours.parse(null, "Europe/Nowhere", null))
                    .getMessage().startsWith("BUSINESS_TIMEZONE"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"2026-13-01", "25.12.2026", "2026-12-25,tomorrow", "2026-02-30"})
        void refusesMalformedHolidaysNamingHolidays(String holidays) {
            ConfigException error = assertThrows(ConfigException.class, () -> BusinessHours.parse(WEEKDAYS, OSLO, holidays));
            assertTrue(error.getMessage().startsWith("HOLIDAYS must be comma-separated ISO dates"), error.getMessage());
        }

        @Test
        void holidaysWithoutHoursAreRefusedRatherThanIgnored() {
            ConfigException error = assertThrows(ConfigException.class, () -> BusinessHours.parse(null, OSLO, "2026-12-25"));
            assertTrue(error.getMessage().startsWith("HOLIDAYS needs BUSINESS_HOURS"), error.getMessage());
        }

        @Test
        void theConfigurationReadsTheThreeKeys() {
            var env = new java.util.HashMap<String, String>(java.util.Map.of("ACCOUNT_SID", "AC" + "0".repeat(32),
                    "AUTH_TOKEN", "token", "API_KEY", "SK" + "0".repeat(32), "API_SECRET", "secret",
                    "ADDRESS_SID", "IG" + "0".repeat(32), "CONVERSATIONS_SERVICE_SID", "IS" + "0".repeat(32)));
            env.put("BUSINESS_HOURS", WEEKDAYS);
            env.put("BUSINESS_TIMEZONE", OSLO);
            env.put("HOLIDAYS", "2026-12-25, 2026-12-26");
            WebChatConfig.Webhooks settings = WebChatConfig.from(env, NO_SECRETS).webhooks();
            BusinessHours hours = BusinessHours.parse(settings.businessHours(), settings.businessTimezone(), settings.holidays());

            assertFalse(hours.alwaysOpen());
            assertFalse(hours.at(local("2026-12-25T10:00", OSLO)).open());
            assertTrue(hours.at(local("2026-12-28T10:00", OSLO)).open());

            env.put("BUSINESS_TIMEZONE", "Oslo");
            WebChatConfig.Webhooks unknownZone = WebChatConfig.from(env, NO_SECRETS).webhooks();
            assertTrue(assertThrows(ConfigException.class, () -> new StudioContext(null, unknownZone, java.time.Clock.systemUTC()))
                    .getMessage().startsWith("BUSINESS_TIMEZONE"), "the Studio function refuses to start on it");
        }
    }

    @Nested
    class OpenAndClosed {

        final BusinessHours hours = hours(WEEKDAYS, OSLO);

        @Test
        void theStartIsInclusiveAndTheEndExclusive() {
            assertClosed(hours, local("2026-11-24T08:59:59.999", OSLO));
            assertOpen(hours, local("2026-11-24T09:00", OSLO));
            assertOpen(hours, local("2026-11-24T17:29:59.999", OSLO));
            ZonedDateTime next = assertClosed(hours, local("2026-11-24T17:30", OSLO));
            assertEquals(ZonedDateTime.parse("2026-11-25T09:00+01:00[Europe/Oslo]"), next);
        }

        @Test
        void beforeOpeningItOpensTheSameDay() {
            assertEquals(local("2026-11-24T09:00", OSLO), assertClosed(hours, local("2026-11-24T06:15", OSLO)).toInstant());
        }

        @Test
        void aLunchBreakReopensTheSameDay() {
            BusinessHours split = hours("Mon-Fri 09:00-12:00,13:00-17:00", OSLO);
            assertEquals(local("2026-11-24T13:00", OSLO), assertClosed(split, local("2026-11-24T12:00", OSLO)).toInstant());
        }

        @Test
        void theNextOpeningSkipsTheWeekend() {
            BusinessHours weekdays = hours("Mon-Fri 09:00-17:30", OSLO);
            ZonedDateTime next = assertClosed(weekdays, local("2026-11-27T17:30", OSLO));   // Friday evening
            assertEquals(ZonedDateTime.parse("2026-11-30T09:00+01:00[Europe/Oslo]"), next);  // Monday
            assertEquals(next, assertClosed(weekdays, local("2026-11-28T12:00", OSLO)));     // Saturday
            assertEquals(next, assertClosed(weekdays, local("2026-11-29T23:59", OSLO)));     // Sunday night
        }

        @Test
        void saturdaysHoursComeBeforeMonday() {
            assertEquals(local("2026-11-28T10:00", OSLO), assertClosed(hours, local("2026-11-27T18:00", OSLO)).toInstant());
            assertEquals(local("2026-11-30T09:00", OSLO), assertClosed(hours, local("2026-11-28T14:00", OSLO)).toInstant());
        }

        @Test
        void holidaysAreClosedAllDayAndSkipped() {
            BusinessHours christmas = BusinessHours.parse("Mon-Fri 09:00-17:00", OSLO, "2026-12-24,2026-12-25, 2026-12-28");
            assertClosed(christmas, local("2026-12-24T10:00", OSLO));
            // Wednesday evening: Thursday and Friday are holidays, then the weekend, then Monday too.
            ZonedDateTime next = assertClosed(christmas, local("2026-12-23T17:00", OSLO));
            assertEquals(ZonedDateTime.parse("2026-12-29T09:00+01:00[Europe/Oslo]"), next);
            assertOpen(christmas, local("2026-12-23T16:59", OSLO));
        }

        @Test
        void aHolidayIsTheBusinessZonesDate() {
            BusinessHours hours = BusinessHours.parse("Mon-Sun 00:00-24:00", NEW_YORK, "2026-12-25");
            // 2026-12-25T03:00Z is still the 24th in New York.
            assertOpen(hours, Instant.parse("2026-12-25T03:00:00Z"));
            ZonedDateTime next = assertClosed(hours, Instant.parse("2026-12-25T06:00:00Z"));
            assertEquals(ZonedDateTime.parse("2026-12-26T00:00-05:00[America/New_York]"), next);
        }

        @Test
        void neverOpeningWithinAYearGivesNoOpening() {
            List<String> mondays = new ArrayList<>();
            for (LocalDate date = LocalDate.parse("2026-11-23"); date.isBefore(LocalDate.parse("2028-01-01")); date = date.plusWeeks(1)) {
                mondays.add(date.toString());
            }
            BusinessHours hours = BusinessHours.parse("Mon 09:00-10:00", OSLO, String.join(",", mondays));
            BusinessHours.Status status = hours.at(local("2026-11-23T08:00", OSLO));
            assertEquals(new BusinessHours.Status(false, null), status);
        }

        @Test
        void theOpeningIsFoundUpToAYearAhead() {
            List<String> mondays = new ArrayList<>();
            LocalDate last = LocalDate.parse("2026-11-23").plusWeeks(51);
            for (LocalDate date = LocalDate.parse("2026-11-23"); !date.isAfter(last); date = date.plusWeeks(1)) {
                mondays.add(date.toString());
            }
            BusinessHours hours = BusinessHours.parse("Mon 09:00-10:00", OSLO, String.join(",", mondays));
            ZonedDateTime next = assertClosed(hours, local("2026-11-23T08:00", OSLO));
            assertEquals(last.plusWeeks(1).atTime(9, 0).atZone(ZoneId.of(OSLO)), next);
        }
    }

    /**
     * Europe/Oslo: 2026-03-29 02:00 CET jumps to 03:00 CEST; 2026-10-25 03:00 CEST falls back to 02:00 CET.
     * America/New_York: 2026-03-08 02:00 EST jumps to 03:00 EDT; 2026-11-01 02:00 EDT falls back to 01:00 EST.
     */
    @Nested
    class DaylightSaving {

        @ParameterizedTest
        @CsvSource({
                // zone, Friday closing (local), Monday opening as ZonedDateTime, its instant
                "Europe/Oslo,      2026-03-27T17:00, 2026-03-30T09:00+02:00[Europe/Oslo],           2026-03-30T07:00:00Z",
                "Europe/Oslo,      2026-10-23T17:00, 2026-10-26T09:00+01:00[Europe/Oslo],           2026-10-26T08:00:00Z",
                "America/New_York, 2026-03-06T17:00, 2026-03-09T09:00-04:00[America/New_York],      2026-03-09T13:00:00Z",
                "America/New_York, 2026-10-30T17:00, 2026-11-02T09:00-05:00[America/New_York],      2026-11-02T14:00:00Z"})
        void anOpeningAtNineStaysAtNineLocalAcrossTheSwitch(String zone, String fridayClose, String mondayOpening, String instant) {
            BusinessHours hours = hours("Mon-Fri 09:00-17:00", zone);
            ZonedDateTime next = assertClosed(hours, local(fridayClose, zone));

            assertEquals(ZonedDateTime.parse(mondayOpening), next);
            assertEquals(Instant.parse(instant), next.toInstant());
            assertClosed(hours, next.toInstant().minusMillis(1));
            assertOpen(hours, next.toInstant());
            // Friday's 09:00 was at the other offset: an hour apart from Monday's in UTC terms.
            Instant friday = local(fridayClose.substring(0, 10) + "T09:00", zone);
            assertEquals(Duration.ofHours(1), Duration.between(friday.plus(Duration.ofDays(3)), next.toInstant()).abs());
        }

        @Test
        void theSwitchDayItselfKeepsWallClockHours() {
            BusinessHours sundays = hours("Sun 09:00-17:00", OSLO);
            assertEquals(Instant.parse("2026-03-29T07:00:00Z"), assertClosed(sundays, Instant.parse("2026-03-29T00:00:00Z")).toInstant());
            assertEquals(Instant.parse("2026-10-25T08:00:00Z"), assertClosed(sundays, Instant.parse("2026-10-25T00:00:00Z")).toInstant());
            assertOpen(sundays, Instant.parse("2026-10-25T15:59:59Z"));   // 16:59 CET
            assertClosed(sundays, Instant.parse("2026-10-25T16:00:00Z"));
        }

        @Test
        void springForwardARangeStartingInTheGapOpensWhenTheGapEnds() {
            BusinessHours hours = hours("Sun 02:30-04:00", OSLO);
            ZonedDateTime next = assertClosed(hours, local("2026-03-29T01:00", OSLO));
            assertEquals(ZonedDateTime.parse("2026-03-29T03:00+02:00[Europe/Oslo]"), next);
            assertEquals(Instant.parse("2026-03-29T01:00:00Z"), next.toInstant());
            assertOpen(hours, Instant.parse("2026-03-29T01:59:59Z"));      // 03:59 CEST
            assertClosed(hours, Instant.parse("2026-03-29T02:00:00Z"));    // 04:00 CEST
        }

        @Test
        void springForwardARangeWhollyInTheGapDoesNotOpenThatDay() {
            BusinessHours hours = hours("Sun 02:00-02:30", NEW_YORK);
            ZonedDateTime next = assertClosed(hours, local("2026-03-08T00:00", NEW_YORK));
            assertEquals(ZonedDateTime.parse("2026-03-15T02:00-04:00[America/New_York]"), next);
        }

        @Test
        void springForwardARangeAcrossTheGapIsAnHourShorter() {
            BusinessHours hours = hours("Sun 01:00-04:00", OSLO);
            assertOpen(hours, Instant.parse("2026-03-29T00:59:59Z"));      // 01:59:59 CET
            assertOpen(hours, Instant.parse("2026-03-29T01:00:00Z"));      // 03:00 CEST, the next instant
            assertClosed(hours, Instant.parse("2026-03-29T02:00:00Z"));    // 04:00 CEST: open two real hours
        }

        @Test
        void fallBackARangeAcrossTheOverlapIsAnHourLonger() {
            BusinessHours hours = hours("Sun 01:00-03:00", NEW_YORK);
            // 01:00 EDT = 05:00Z; 01:00 again (EST) = 06:00Z; 03:00 EST = 08:00Z.
            assertEquals(Instant.parse("2026-11-01T05:00:00Z"), assertClosed(hours, Instant.parse("2026-11-01T04:59:59Z")).toInstant());
            assertOpen(hours, Instant.parse("2026-11-01T05:30:00Z"));
            assertOpen(hours, Instant.parse("2026-11-01T06:30:00Z"));
            assertOpen(hours, Instant.parse("2026-11-01T07:59:59Z"));
            assertClosed(hours, Instant.parse("2026-11-01T08:00:00Z"));
        }

        @Test
        void fallBackARangeInsideTheOverlapOpensTwice() {
            BusinessHours hours = hours("Sun 02:15-02:45", OSLO);
            // First 02:15 is CEST (00:15Z), the second CET (01:15Z).
            ZonedDateTime first = assertClosed(hours, local("2026-10-25T01:00", OSLO));
            assertEquals(ZonedDateTime.parse("2026-10-25T02:15+02:00[Europe/Oslo]"), first);
            assertOpen(hours, Instant.parse("2026-10-25T00:30:00Z"));
            ZonedDateTime second = assertClosed(hours, Instant.parse("2026-10-25T00:50:00Z"));
            assertEquals(ZonedDateTime.parse("2026-10-25T02:15+01:00[Europe/Oslo]"), second);
            assertEquals(Instant.parse("2026-10-25T01:15:00Z"), second.toInstant());
            assertOpen(hours, Instant.parse("2026-10-25T01:44:59Z"));
            assertEquals(ZonedDateTime.parse("2026-11-01T02:15+01:00[Europe/Oslo]"),
                    assertClosed(hours, Instant.parse("2026-10-25T01:45:00Z")));
        }

        @Test
        void aWeekOfHoursAcrossEachSwitchIsStillNineToFiveLocal() {
            for (String zone : List.of(OSLO, NEW_YORK)) {
                BusinessHours hours = hours("Mon-Sun 09:00-17:00", zone);
                ZoneId id = ZoneId.of(zone);
                for (String week : List.of("2026-03-05", "2026-03-26", "2026-10-22", "2026-10-29")) {
                    for (int day = 0; day < 7; day++) {
                        LocalDate date = LocalDate.parse(week).plusDays(day);
                        assertEquals(date.atTime(9, 0).atZone(id), assertClosed(hours, date.atTime(8, 59).atZone(id).toInstant()),
                                zone + " " + date);
                        assertOpen(hours, date.atTime(16, 59).atZone(id).toInstant());
                        assertClosed(hours, date.atTime(17, 0).atZone(id).toInstant());
                    }
                }
            }
        }
    }
}
