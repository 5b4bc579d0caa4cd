package com.flexwebchat.conversations.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The transcript written out: every value from the chat escaped, times in the configured zone. */
class TranscriptDocumentTest {

    static final Instant NINE_UTC = Instant.parse("2026-11-30T09:05:00Z");

    static Transcript transcript(String visitorText) {
        return new Transcript("CH" + "0".repeat(32), "Ada <b>", List.of("Sam"), List.of(
                new Transcript.Line("Ada <b>", NINE_UTC, visitorText, List.of()),
                new Transcript.Line("Sam", NINE_UTC.plusSeconds(60), "Hello & welcome", List.of(
                        new Transcript.File("ME" + "1".repeat(32), "<img src=x onerror=alert(1)>.png", "image/png", 10)))));
    }

    @Test
    void markupFromTheChatIsShownAsTextNeverRun() {
        TranscriptDocument document = TranscriptDocument.of(transcript("<script>alert('x')</script>\"quoted\""),
                ZoneId.of("UTC"), "Transcript of your chat", List.of(), List.of());

        assertFalse(document.html().contains("<script>"), document.html());
        assertFalse(document.html().contains("<img src=x"), document.html());
        assertFalse(document.html().contains("<b>"), document.html());
        assertTrue(document.html().contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;quoted&quot;"), document.html());
        assertTrue(document.html().contains("Hello &amp; welcome"), document.html());
        assertTrue(document.text().contains("09:05  Ada <b>: <script>alert('x')</script>\"quoted\""), document.text());
    }

    @Test
    void timesAreInTheConfiguredZoneAndTheZoneIsNamed() {
        TranscriptDocument london = TranscriptDocument.of(transcript("Hi"), ZoneId.of("Asia/Tokyo"), "S", List.of(), List.of());

        assertTrue(london.text().contains("18:05  Ada <b>: Hi"), london.text());
        assertTrue(london.text().contains("on 30 November 2026. Times are in Asia/Tokyo."), london.text());
        assertTrue(london.html().contains("Times are in Asia/Tokyo."), london.html());
    }

    @Test
    void filesAttachedAndLeftOutAreListed() {
        TranscriptDocument document = TranscriptDocument.of(transcript("Hi"), ZoneId.of("UTC"), "S", List.of("a.png"),
                List.of(new TranscriptDocument.LeftOut("big.mov", "larger than an email takes")));

        assertTrue(document.text().contains("Attached: a.png."), document.text());
        assertTrue(document.text().contains("- big.mov (larger than an email takes)"), document.text());
        assertTrue(document.html().contains("<li>big.mov (larger than an email takes)</li>"), document.html());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada@example.com", "ada.lovelace+chat@mail.example.co.uk", "o'brien@example.ie", "x@xn--bcher-kva.example"})
    void mailboxesATranscriptMayGoTo(String address) {
        assertEquals(Optional.of(address), TranscriptAddress.of(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada@example.com, eve@example.com", "ada@example.com\r\nBcc: eve@example.com", "Ada <ada@example.com>",
            "ada@localhost", "ada@127.0.0.1", "ada@@example.com", "ada@example..com", ".ada@example.com", "ada.@example.com",
            "ada@-example.com", "adä@example.com", "ada@exämple.com", "ada\u00a0@example.com", "\"ada\"@example.com",
            "@example.com", "ada@", ""})
    void notAMailboxATranscriptMayGoTo(String address) {
        assertEquals(Optional.empty(), TranscriptAddress.of(address));
    }

    @Test
    void repeatedFileNamesAreNumberedAsTheWidgetNamesThem() {
        Set<String> taken = new HashSet<>();
        assertEquals("a.png", TranscriptMailer.unique("a.png", taken));
        assertEquals("a-1.png", TranscriptMailer.unique("a.png", taken));
        assertEquals("A-2.png", TranscriptMailer.unique("A.png", taken), "the name keeps its case; the comparison ignores it");
        assertEquals("README", TranscriptMailer.unique("README", taken));
        assertEquals("README-1", TranscriptMailer.unique("README", taken));
    }

    @Test
    void fileNamesLoseTheirPathsAndAnythingThatCouldBreakAHeader() {
        assertEquals("passwd", TranscriptMailer.safeFilename("../../etc/passwd"));
        assertEquals("a__b_.png", TranscriptMailer.safeFilename("a\r\nb\".png"));
        assertEquals("file", TranscriptMailer.safeFilename(null));
        assertEquals("file", TranscriptMailer.safeFilename(".."));
        assertEquals("application/octet-stream", TranscriptMailer.contentType("text/html\r\nX: y"));
        assertEquals("image/png", TranscriptMailer.contentType("image/png"));
    }
}
