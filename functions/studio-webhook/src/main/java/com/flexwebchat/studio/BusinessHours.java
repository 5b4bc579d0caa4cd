package com.flexwebchat.studio;

import com.flexwebchat.shared.config.ConfigException;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the contact centre takes chats: weekly opening hours in one time zone, less holidays.
 * Parsed once at cold start from BUSINESS_HOURS, BUSINESS_TIMEZONE and HOLIDAYS.
 *
 * <h2>Format</h2>
 * <pre>
 *   BUSINESS_HOURS    = rule *( ";" rule )            Mon-Fri 09:00-17:30; Sat 10:00-14:00
 *   rule              = days " " ranges               Mon,Wed 09:00-12:00,13:00-17:00
 *   days              = day-or-range *( "," day-or-range )     Mon | Mon-Fri | Fri-Mon (wraps)
 *   ranges            = HH:MM "-" HH:MM *( "," HH:MM "-" HH:MM )  start &lt; end, "24:00" = end of day
 *   BUSINESS_TIMEZONE = an IANA zone (Europe/Oslo); required with BUSINESS_HOURS
 *   HOLIDAYS          = ISO dates, comma-separated (2026-12-25,2026-12-26); closed all day
 * </pre>
 * Day names are English, three letters or in full, in any case. Ranges of several rules for the
 * same day are merged. A range cannot run past midnight: {@code Fri 22:00-24:00; Sat 00:00-02:00}
 * is a night shift. Unset BUSINESS_HOURS means always open; HOLIDAYS then has nothing to close and
 * is refused rather than silently ignored.
 *
 * <h2>Daylight saving</h2>
 * Hours are wall-clock times in the business zone: an opening at 09:00 is at 09:00 local time on
 * both sides of a DST change, whatever the UTC offset. Where the clocks jump:
 * <ul>
 *   <li>Spring forward (a gap, e.g. 02:00 to 03:00): wall times in the gap never happen. A range
 *       that starts in the gap opens when the gap ends (a {@code 02:30-04:00} range opens at
 *       03:00); one that lies wholly in the gap does not open that day. A range across the gap
 *       ({@code 01:00-04:00}) is open for the wall times that exist, so an hour shorter.</li>
 *   <li>Fall back (an overlap, e.g. 03:00 back to 02:00): wall times in the overlap happen twice,
 *       and a range covering them is open both times, so an hour longer. A range that lies inside
 *       the overlap ({@code 02:15-02:45}) opens twice; the next opening after the first
 *       occurrence is the second one.</li>
 * </ul>
 * Holidays are local dates in the business zone, midnight to midnight.
 */
public final class BusinessHours {

    public static final BusinessHours ALWAYS_OPEN = new BusinessHours(null, Map.of(), Set.of());

    /** How far {@link #at} looks for the next opening. */
    public static final int LOOKAHEAD_DAYS = 366;

    /** Open or not at an instant, and when it next opens if closed (null when it never does). */
    public record Status(boolean open, ZonedDateTime opensAt) {
    }

    /** One opening range of a day, in nanoseconds of the local day: [start, end). */
    private record Range(long start, long end) {
    }

    private static final long NANOS_PER_DAY = 86_400L * 1_000_000_000L;
    private static final Pattern RANGE = Pattern.compile("(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
    private static final Pattern DAYS_THEN_RANGES = Pattern.compile("^([^0-9]*?)\\s*(\\d.*)$");

    private final ZoneId zone;
    private final Map<DayOfWeek, List<Range>> week;
    private final Set<LocalDate> holidays;

    private BusinessHours(ZoneId zone, Map<DayOfWeek, List<Range>> week, Set<LocalDate> holidays) {
        this.zone = zone;
        this.week = week;
        this.holidays = holidays;
    }

    /**
     * @param hours    e.g. {@code Mon-Fri 09:00-17:30; Sat 10:00-14:00}; null = always open
     * @param timezone an IANA zone name
     * @param holidays comma-separated ISO dates, closed all day
     * @throws ConfigException naming the key at fault
     */
    public static BusinessHours parse(String hours, String timezone, String holidays) {
        boolean hasHours = hours != null && !hours.isBlank();
        boolean hasTimezone = timezone != null && !timezone.isBlank();
        boolean hasHolidays = holidays != null && !holidays.isBlank();
        ZoneId zone = hasTimezone ? zone(timezone.trim()) : null;
        Set<LocalDate> closedDates = hasHolidays ? holidays(holidays) : Set.of();
        if (!hasHours) {
            if (hasHolidays) {
                throw new ConfigException("HOLIDAYS needs BUSINESS_HOURS: without opening hours the chat is always open"
                        + " (for around the clock except holidays, set BUSINESS_HOURS=Mon-Sun 00:00-24:00)");
            }
            return ALWAYS_OPEN;
        }
        if (zone == null) {
            throw new ConfigException("BUSINESS_TIMEZONE is required with BUSINESS_HOURS: an IANA time zone such as Europe/Oslo");
        }
        return new BusinessHours(zone, week(hours), closedDates);
    }

    /** Whether these are the always-open hours (BUSINESS_HOURS unset). */
    public boolean alwaysOpen() {
        return zone == null;
    }

    /** The business time zone, or null when always open. */
    public ZoneId zone() {
        return zone;
    }

    public Status at(Instant now) {
        if (alwaysOpen()) {
            return new Status(true, null);
        }
        if (isOpen(now)) {
            return new Status(true, null);
        }
        Instant next = nextOpening(now);
        return new Status(false, next == null ? null : ZonedDateTime.ofInstant(next, zone));
    }

    /** Open at this instant: a working local date, and a local time in one of that weekday's ranges. */
    private boolean isOpen(Instant instant) {
        LocalDateTime local = LocalDateTime.ofInstant(instant, zone);
        if (holidays.contains(local.toLocalDate())) {
            return false;
        }
        long time = local.toLocalTime().toNanoOfDay();
        for (Range range : week.getOrDefault(local.getDayOfWeek(), List.of())) {
            if (time >= range.start() && time < range.end()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first instant after {@code now} at which the hours are open. The state only turns to
     * open where a range starts: at each instant whose wall time is a range's start (none when the
     * start falls in a DST gap, two in an overlap) or, for a start in a gap, where the gap ends.
     * Those candidates are checked day by day, in time order, against {@link #isOpen}.
     */
    private Instant nextOpening(Instant now) {
        ZoneRules rules = zone.getRules();
        // From the day before: where a fall-back crosses midnight, a later instant can have an earlier date.
        LocalDate today = LocalDate.ofInstant(now, zone);
        for (int day = -1; day <= LOOKAHEAD_DAYS; day++) {
            LocalDate date = today.plusDays(day);
            if (holidays.contains(date)) {
                continue;
            }
            List<Instant> candidates = new ArrayList<>();
            for (Range range : week.getOrDefault(date.getDayOfWeek(), List.of())) {
                LocalDateTime start = LocalDateTime.of(date, LocalTime.ofNanoOfDay(range.start()));
                List<ZoneOffset> offsets = rules.getValidOffsets(start);
                if (offsets.isEmpty()) {
                    ZoneOffsetTransition gap = rules.getTransition(start);
                    candidates.add(gap.getInstant());
                } else {
                    offsets.forEach(offset -> candidates.add(start.toInstant(offset)));
                }
            }
            Collections.sort(candidates);
            for (Instant candidate : candidates) {
                if (candidate.isAfter(now) && isOpen(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    // --- parsing -------------------------------------------------------------------------------------------

    private static ZoneId zone(String timezone) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new ConfigException("BUSINESS_TIMEZONE must be an IANA time zone such as Europe/Oslo, got '" + timezone + "'");
        }
        if (zone instanceof ZoneOffset || timezone.matches("(?i)(UTC|GMT|UT)[+-].*")) {
            // A fixed offset has no daylight saving: the hours would be an hour off half the year.
            throw new ConfigException("BUSINESS_TIMEZONE must be an IANA time zone such as Europe/Oslo, not a fixed offset ('"
                    + timezone + "')");
        }
        return zone;
    }

    private static Set<LocalDate> holidays(String value) {
        Set<LocalDate> dates = new TreeSet<>();
        for (String item : value.split(",")) {
            String date = item.trim();
            if (date.isEmpty()) {
                continue;
            }
            try {
                dates.add(LocalDate.parse(date));
            } catch (DateTimeParseException e) {
                throw new ConfigException("HOLIDAYS must be comma-separated ISO dates such as 2026-12-25,2026-12-26; '"
                        + date + "' is not one");
            }
        }
        return Collections.unmodifiableSet(dates);
    }

    private static Map<DayOfWeek, List<Range>> week(String hours) {
        Map<DayOfWeek, List<Range>> week = new EnumMap<>(DayOfWeek.class);
        for (String item : hours.split(";")) {
            String rule = item.trim();
            if (rule.isEmpty()) {
                continue;
            }
            Matcher parts = DAYS_THEN_RANGES.matcher(rule);
            if (!parts.matches() || parts.group(1).isBlank()) {
                throw invalidHours(rule, "each rule is days then times, such as 'Mon-Fri 09:00-17:30'");
            }
            Set<DayOfWeek> days = days(parts.group(1), rule);
            List<Range> ranges = ranges(parts.group(2), rule);
            for (DayOfWeek day : days) {
                week.computeIfAbsent(day, d -> new ArrayList<>()).addAll(ranges);
            }
        }
        if (week.isEmpty()) {
            throw invalidHours(hours, "no opening hours in it");
        }
        Map<DayOfWeek, List<Range>> merged = new EnumMap<>(DayOfWeek.class);
        week.forEach((day, ranges) -> merged.put(day, merge(ranges)));
        return Collections.unmodifiableMap(merged);
    }

    private static Set<DayOfWeek> days(String text, String rule) {
        Set<DayOfWeek> days = new TreeSet<>();
        for (String item : text.split(",")) {
            String spec = item.trim();
            if (spec.isEmpty()) {
                throw invalidHours(rule, "an empty day in the list");
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                days.add(day(spec, rule));
            } else {
                DayOfWeek first = day(spec.substring(0, dash).trim(), rule);
                DayOfWeek last = day(spec.substring(dash + 1).trim(), rule);
                // A range may wrap past Sunday: Fri-Mon is Fri, Sat, Sun, Mon.
                for (DayOfWeek day = first; ; day = day.plus(1)) {
                    days.add(day);
                    if (day == last) {
                        break;
                    }
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String name, String rule) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            String full = day.name().toLowerCase(Locale.ROOT);
            if (lower.equals(full) || lower.equals(full.substring(0, 3))) {
                return day;
            }
        }
        throw invalidHours(rule, "'" + name + "' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }

    private static List<Range> ranges(String text, String rule) {
        List<Range> ranges = new ArrayList<>();
        for (String item : text.split(",")) {
            String spec = item.trim();
            Matcher m = RANGE.matcher(spec);
            if (!m.matches()) {
                throw invalidHours(rule, "'" + spec + "' is not a time range such as 09:00-17:30");
            }
            long start = time(m.group(1), m.group(2), false, rule);
            long end = time(m.group(3), m.group(4), true, rule);
            if (start >= end) {
                throw invalidHours(rule, "'" + spec + "' must end after it starts (a range cannot run past midnight:"
                        + " use 22:00-24:00 on one day and 00:00-02:00 on the next)");
            }
            ranges.add(new Range(start, end));
        }
        return ranges;
    }

    private static long time(String hours, String minutes, boolean end, String rule) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        if (end && h == 24 && m == 0) {
            return NANOS_PER_DAY;
        }
        if (h > 23 || m > 59) {
            throw invalidHours(rule, "'" + hours + ":" + minutes + "' is not a time of day (00:00 to 23:59, or 24:00 as an end)");
        }
        return LocalTime.of(h, m).toNanoOfDay();
    }

    /** Sorted, with overlapping or touching ranges joined. */
    private static List<Range> merge(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
        List<Range> merged = new ArrayList<>();
        for (Range range : sorted) {
            Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range.start() <= last.end()) {
                merged.set(merged.size() - 1, new Range(last.start(), Math.max(last.end(), range.end())));
            } else {
                merged.add(range);
            }
        }
        return List.copyOf(merged);
    }

    private static ConfigException invalidHours(String rule, String why) {
        return new ConfigException("BUSINESS_HOURS is not valid at '" + rule + "': " + why);
    }

    @Override
    public String toString() {
        if (alwaysOpen()) {
            return "BusinessHours[always open]";
        }
        StringBuilder text = new StringBuilder("BusinessHours[");
        week.forEach((day, ranges) -> {
            text.append(day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).append(' ');
            for (int i = 0; i < ranges.size(); i++) {
                text.append(i == 0 ? "" : ",").append(clock(ranges.get(i).start())).append('-').append(clock(ranges.get(i).end()));
            }
            text.append("; ");
        });
        return text.append(zone).append(", ").append(holidays.size()).append(" holidays]").toString();
    }

    private static String clock(long nanoOfDay) {
        return nanoOfDay == NANOS_PER_DAY ? "24:00" : LocalTime.ofNanoOfDay(nanoOfDay).toString();
    }
}
