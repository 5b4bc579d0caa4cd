package com.flexwebchat.studio;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * What the flow tells a visitor who writes while the contact centre is closed, with the next
 * opening in the business time zone: "We're closed right now. We open again Monday at 09:00
 * (Europe/Oslo)." The day is "today", "tomorrow", a weekday within the coming week, or a weekday
 * and date further out.
 */
final class ClosedMessage {

    static final String CLOSED = "We're closed right now.";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEEE d MMMM", Locale.ENGLISH);

    private ClosedMessage() {
    }

    /** @param opensAt the next opening in the business zone, or null when there is none */
    static String of(ZonedDateTime opensAt, Instant now) {
        if (opensAt == null) {
            return CLOSED;
        }
        return CLOSED + " We open again " + day(opensAt, now) + " at " + opensAt.format(TIME)
                + " (" + opensAt.getZone().getId() + ").";
    }

    private static String day(ZonedDateTime opensAt, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, opensAt.getZone());
        LocalDate day = opensAt.toLocalDate();
        if (day.equals(today)) {
            return "today";
        }
        if (day.equals(today.plusDays(1))) {
            return "tomorrow";
        }
        if (day.isBefore(today.plusDays(7))) {
            return day.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        }
        return opensAt.format(DATE);
    }
}
