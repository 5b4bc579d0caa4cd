package com.flexwebchat.standins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A captured email written as an .eml file and read back with an independent minimal MIME reader. */
class CapturedEmailTest {

    static final byte[] PNG = randomBytes(5_000, 1);

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static CapturedEmail email(String html, String text, List<CapturedEmail.Attachment> attachments) {
        return new CapturedEmail("0100abc-000000", Instant.parse("2026-03-01T10:15:30Z"), "ses", "transcripts@example.com",
                "Support", List.of("ada@example.org"), List.of(), List.of("hidden@example.org"), "Transcript of your chat", html,
                text, attachments);
    }

    static CapturedEmail.Attachment file(String name, String type, byte[] content) {
        return new CapturedEmail.Attachment(name, type, "attachment", "base64", null, content);
    }

    @Test
    void anHtmlEmailIsMixedOfTheHtmlThenEachAttachmentAsTheUpstreamEndToEndTestCountsThem() {
        CapturedEmail email = email("<p>Hello <b>Ada</b></p>", null,
                List.of(file("a.png", "image/png", PNG), file("notes.txt", "text/plain", "one\ntwo".getBytes(StandardCharsets.UTF_8))));

        MiniMime.Part message = MiniMime.parse(email.toEml());

        assertEquals("multipart/mixed", message.type());
        assertEquals(List.of("text/html", "image/png", "text/plain"), message.parts().stream().map(MiniMime.Part::type).toList());
        assertEquals("<p>Hello <b>Ada</b></p>", message.parts().get(0).text());
        assertEquals("UTF-8", message.parts().get(0).parameter("content-type", "charset"));
        assertArrayEquals(PNG, message.parts().get(1).body());
        assertEquals("a.png", message.parts().get(1).parameter("content-disposition", "filename"));
        assertTrue(message.parts().get(1).header("content-disposition").startsWith("attachment"));
        assertEquals("base64", message.parts().get(1).header("content-transfer-encoding"));
        assertEquals("one\ntwo", message.parts().get(2).text(), "bytes as they were, line ends included");
    }

    @Test
    void textAndHtmlTogetherAreOneAlternativeWithTheTextFirst() {
        MiniMime.Part message = MiniMime.parse(email("<p>Hi</p>", "Hi", List.of(file("a.png", "image/png", PNG))).toEml());

        assertEquals(List.of("multipart/alternative", "image/png"), message.parts().stream().map(MiniMime.Part::type).toList());
        MiniMime.Part alternative = message.parts().get(0);
        assertEquals(List.of("text/plain", "text/html"), alternative.parts().stream().map(MiniMime.Part::type).toList());
        assertEquals("Hi", alternative.parts().get(0).text());
        assertEquals("<p>Hi</p>", alternative.parts().get(1).text());
    }

    @Test
    void headersSayWhoToAndWhatButNotTheBcc() {
        MiniMime.Part message = MiniMime.parse(email("<p>x</p>", null, List.of()).toEml());

        assertEquals("Support <transcripts@example.com>", message.header("from"));
        assertEquals("ada@example.org", message.header("to"));
        assertNull(message.header("bcc"), "a Bcc is not in what the recipients get");
        assertEquals("Transcript of your chat", message.header("subject"));
        assertEquals("<0100abc-000000@ses.localhost>", message.header("message-id"));
        assertEquals("Sun, 1 Mar 2026 10:15:30 GMT", message.header("date"));
        assertEquals("1.0", message.header("mime-version"));
    }

    @Test
    void aSubjectOrNameBeyondAsciiIsEncodedWordsAndReadsBackTheSame() {
        String subject = "Transcript of your chat with Zoë and 李小龙 🙂 " + "and a long tail ".repeat(10);
        CapturedEmail email = new CapturedEmail("id-1", Instant.now(), "sendgrid", "transcripts@example.com", "Support «Zoë»",
                List.of("ada@example.org"), List.of(), List.of(), subject, "<p>x</p>", null, List.of());

        MiniMime.Part message = MiniMime.parse(email.toEml());

        assertTrue(message.header("subject").startsWith("=?UTF-8?B?"), message.header("subject"));
        assertEquals(subject, MiniMime.decodeWords(message.header("subject")));
        assertEquals("Support «Zoë» <transcripts@example.com>", MiniMime.decodeWords(message.header("from")));
    }

    @Test
    void aLineBreakInTheSubjectCannotAddAHeader() {
        CapturedEmail email = new CapturedEmail("id-2", Instant.now(), "sendgrid", "transcripts@example.com", null,
                List.of("ada@example.org"), List.of(), List.of(), "Hi\r\nBcc: evil@example.net", "<p>x</p>", null, List.of());

        MiniMime.Part message = MiniMime.parse(email.toEml());

        assertNull(message.header("bcc"));
        assertEquals("Hi\r\nBcc: evil@example.net", MiniMime.decodeWords(message.header("subject")));
    }

    @Test
    void fileNamesBeyondPlainAsciiTravelAsRfc2231() {
        String name = "Zoë's \"photo\" 写真.png";
        MiniMime.Part message = MiniMime.parse(email("<p>x</p>", null, List.of(file(name, "image/png", PNG))).toEml());

        assertEquals(name, message.parts().get(1).parameter("content-disposition", "filename"));
        assertEquals(name, message.parts().get(1).parameter("content-type", "name"));
    }

    @Test
    void aContentTypeThatCannotBeAHeaderIsWrittenAsOctetStream() {
        MiniMime.Part message = MiniMime.parse(email("<p>x</p>", null,
                List.of(file("a.bin", "image/png\r\nX-Evil: 1", PNG))).toEml());

        assertEquals("application/octet-stream", message.parts().get(1).type());
        assertNull(message.parts().get(1).header("x-evil"));
    }

    @Test
    void quotedPrintableAndSevenBitAttachmentsAreWrittenAsSesWasAsked() {
        byte[] text = "caf\u00e9 = coffee, a long line ".repeat(8).getBytes(StandardCharsets.UTF_8);
        byte[] ascii = "plain ascii".getBytes(StandardCharsets.US_ASCII);
        MiniMime.Part message = MiniMime.parse(email("<p>x</p>", null, List.of(
                new CapturedEmail.Attachment("a.txt", "text/plain", "attachment", "quoted-printable", null, text),
                new CapturedEmail.Attachment("b.txt", "text/plain", "inline", "7bit", "b1", ascii))).toEml());

        assertEquals("quoted-printable", message.parts().get(1).header("content-transfer-encoding"));
        assertArrayEquals(text, message.parts().get(1).body());
        assertEquals("7bit", message.parts().get(2).header("content-transfer-encoding"));
        assertArrayEquals(ascii, message.parts().get(2).body());
        assertTrue(message.parts().get(2).header("content-disposition").startsWith("inline"));
        assertEquals("<b1>", message.parts().get(2).header("content-id"));
    }

    @Test
    void writeEmlPutsTheFileInTheFolder(@TempDir Path folder) throws Exception {
        CapturedEmail email = email("<p>x</p>", null, List.of());

        Path file = email.writeEml(folder.resolve("mail"));

        assertEquals(folder.resolve("mail"), file.getParent());
        assertEquals("20260301-101530-000-0100abc-000000.eml", file.getFileName().toString());
        MiniMime.Part read = MiniMime.parse(Files.readAllBytes(file));
        assertEquals("Transcript of your chat", read.header("subject"));
        assertEquals("<p>x</p>", read.parts().get(0).text());
        assertFalse(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains("hidden@example.org"));
    }
}
