package com.flexwebchat.shared.config;

import com.flexwebchat.shared.config.Protections.Limit;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How chat transcripts are emailed ({@code POST /email}, and at the end of a chat whose visitor
 * opted in).
 *
 * @param timeZone           TRANSCRIPT_TIME_ZONE: the zone the transcript's times are written in, default UTC
 * @param subject            TRANSCRIPT_SUBJECT: the email's subject, default "Transcript of your chat"
 * @param optInField         TRANSCRIPT_OPT_IN_FIELD: the pre-engagement form field that asks for the transcript at
 *                           the end of the chat (true, "true", "yes", "on" or "1"), default {@code emailTranscript};
 *                           {@code off} for no transcript at the end
 * @param perChat            RATE_LIMIT_TRANSCRIPTS_PER_CHAT, default 1 per hour
 * @param perAddress         RATE_LIMIT_TRANSCRIPTS_PER_ADDRESS, default 3 per day
 * @param maxAttachmentBytes TRANSCRIPT_MAX_ATTACHMENT_BYTES: the most the chat's files may add to one email
 *                           together, default 10 MiB; files beyond it are listed in the email as left out
 */
public record Transcripts(ZoneId timeZone, String subject, String optInField, Limit perChat, Limit perAddress,
                          long maxAttachmentBytes) {

    /** How long after its start a chat's transcript may be asked for by address, or after its end by token. */
    public static final Duration RECENT = Duration.ofHours(24);
    public static final String DEFAULT_SUBJECT = "Transcript of your chat";
    public static final String DEFAULT_OPT_IN_FIELD = "emailTranscript";
    public static final Limit DEFAULT_PER_CHAT = new Limit(1, Duration.ofHours(1));
    public static final Limit DEFAULT_PER_ADDRESS = new Limit(3, Duration.ofDays(1));
    public static final long DEFAULT_MAX_ATTACHMENT_BYTES = 10L * 1024 * 1024;
    /**
     * Amazon SES takes 40 MB a message and SendGrid 30 MB, after base64 (4/3); 20 MiB of files stays
     * under both with the transcript itself.
     */
    static final long MAX_ATTACHMENT_BYTES = 20L * 1024 * 1024;
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** Whether the form field asks for the transcript at the end of the chat. */
    public boolean optInOn() {
        return optInField != null;
    }

    static Transcripts from(Function<String, String> settings) {
        return new Transcripts(zone(settings.apply("TRANSCRIPT_TIME_ZONE")),
                subject(settings.apply("TRANSCRIPT_SUBJECT")),
                optInField(settings.apply("TRANSCRIPT_OPT_IN_FIELD")),
                Protections.limit(settings, "RATE_LIMIT_TRANSCRIPTS_PER_CHAT", DEFAULT_PER_CHAT),
                Protections.limit(settings, "RATE_LIMIT_TRANSCRIPTS_PER_ADDRESS", DEFAULT_PER_ADDRESS),
                bytes(settings.apply("TRANSCRIPT_MAX_ATTACHMENT_BYTES")));
    }

    private static ZoneId zone(String value) {
        if (value == null) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new ConfigException("TRANSCRIPT_TIME_ZONE must be a time zone such as Europe/London or UTC, got '" + value + "'");
        }
    }

    private static String subject(String value) {
        if (value == null) {
            return DEFAULT_SUBJECT;
        }
        if (value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException("TRANSCRIPT_SUBJECT must be one line of at most 200 characters");
        }
        return value;
    }

    private static String optInField(String value) {
        if (value == null) {
            return DEFAULT_OPT_IN_FIELD;
        }
        if (value.equalsIgnoreCase("off")) {
            return null;
        }
        if (!FIELD.matcher(value).matches()) {
            throw new ConfigException("TRANSCRIPT_OPT_IN_FIELD must be a form field name (letters, digits, _ . -) or off, got '"
                    + value + "'");
        }
        return value;
    }

    private static long bytes(String value) {
        if (value == null) {
            return DEFAULT_MAX_ATTACHMENT_BYTES;
        }
        long bytes;
        try {
            bytes = Long.parseLong(value);
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 0 || bytes > MAX_ATTACHMENT_BYTES) {
            throw new ConfigException("TRANSCRIPT_MAX_ATTACHMENT_BYTES must be a number of bytes from 0 (no files) to "
                    + MAX_ATTACHMENT_BYTES);
        }
        return bytes;
    }
}
