package com.flexwebchat.shared.config;

import java.time.Instant;
import java.time.ZonedDateTime;

/**
 * When the contact centre takes chats: weekly opening hours in one time zone, less holidays.
 * Parsed once at cold start from BUSINESS_HOURS, BUSINESS_TIMEZONE and HOLIDAYS.
 * (Placeholder: always open. The Studio webhook work replaces this body.)
 */
public final class BusinessHours {

    public static final BusinessHours ALWAYS_OPEN = new BusinessHours();

    /** Open or not at an instant, and when it next opens if closed (null when it never does). */
    public record Status(boolean open, ZonedDateTime opensAt) {
    }

    private BusinessHours() {
    }

    /**
     * @param hours    e.g. {@code Mon-Fri 09:00-17:30; Sat 10:00-14:00}; null = always open
     * @param timezone an IANA zone name
     * @param holidays comma-separated ISO dates, closed all day
     * @throws ConfigException naming the key at fault
     */
    public static BusinessHours parse(String hours, String timezone, String holidays) {
        return ALWAYS_OPEN;
    }

    public Status at(Instant now) {
        return new Status(true, null);
    }
}
