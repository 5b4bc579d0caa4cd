package com.flexwebchat.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TranscriptsTest {

    static Transcripts from(Map<String, String> settings) {
        return Transcripts.from(settings::get);
    }

    @Test
    void defaults() {
        Transcripts transcripts = from(Map.of());

        assertEquals(ZoneId.of("UTC"), transcripts.timeZone());
        assertEquals("Transcript of your chat", transcripts.subject());
        assertEquals("emailTranscript", transcripts.optInField());
        assertTrue(transcripts.optInOn());
        assertEquals(new Protections.Limit(1, Duration.ofHours(1)), transcripts.perChat());
        assertEquals(new Protections.Limit(3, Duration.ofDays(1)), transcripts.perAddress());
        assertEquals(10L * 1024 * 1024, transcripts.maxAttachmentBytes());
    }

    @Test
    void settingsAsWritten() {
        Transcripts transcripts = from(Map.of("TRANSCRIPT_TIME_ZONE", "Europe/London", "TRANSCRIPT_SUBJECT", "Your chat with Acme",
                "TRANSCRIPT_OPT_IN_FIELD", "off", "RATE_LIMIT_TRANSCRIPTS_PER_CHAT", "2/PT30M",
                "RATE_LIMIT_TRANSCRIPTS_PER_ADDRESS", "off", "TRANSCRIPT_MAX_ATTACHMENT_BYTES", "0"));

        assertEquals(ZoneId.of("Europe/London"), transcripts.timeZone());
        assertEquals("Your chat with Acme", transcripts.subject());
        assertFalse(transcripts.optInOn());
        assertEquals(new Protections.Limit(2, Duration.ofMinutes(30)), transcripts.perChat());
        assertFalse(transcripts.perAddress().on());
        assertEquals(0, transcripts.maxAttachmentBytes());
    }

    static Stream<Arguments> wrongSettings() {
        return Stream.of(
                Arguments.of("TRANSCRIPT_TIME_ZONE", "Mars/Olympus"),
                Arguments.of("TRANSCRIPT_SUBJECT", "two\nlines"),
                Arguments.of("TRANSCRIPT_OPT_IN_FIELD", "email transcript"),
                Arguments.of("RATE_LIMIT_TRANSCRIPTS_PER_CHAT", "lots"),
                Arguments.of("TRANSCRIPT_MAX_ATTACHMENT_BYTES", "99999999999"),
                Arguments.of("TRANSCRIPT_MAX_ATTACHMENT_BYTES", "-1"));
    }

    @ParameterizedTest
    @MethodSource("wrongSettings")
    void aWrongSettingStopsTheFunctionNamingIt(String key, String value) {
        ConfigException error = assertThrows(ConfigException.class, () -> from(Map.of(key, value)));

        assertTrue(error.getMessage().startsWith(key), error.getMessage());
    }
}
