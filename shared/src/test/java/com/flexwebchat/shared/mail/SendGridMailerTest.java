package com.flexwebchat.shared.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.PersonalData;
import com.flexwebchat.standins.CapturedEmail;
import com.flexwebchat.standins.LocalSendGrid;
import com.flexwebchat.standins.MailFault;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SendGridMailer over HTTP against LocalSendGrid, which checks every request as SendGrid's v3 Mail Send does. */
class SendGridMailerTest {

    static final String KEY = "SG.mail-test-key";
    static final String FROM = "transcripts@example.com";

    final LocalSendGrid sendGrid = LocalSendGrid.start(KEY).verify(FROM);
    final LogCapture logs = new LogCapture();
    final PersonalData personal = new PersonalData();

    @AfterEach
    void stop() {
        personal.assertNoneIn(List.of(), logs.text());
        logs.close();
        sendGrid.close();
    }

    SendGridMailer mailer() {
        return new SendGridMailer(URI.create(sendGrid.url()), KEY, Mailers.CALL_TIMEOUT);
    }

    Email email(String text, List<Email.Attachment> attachments) {
        return new Email(new Email.Address(FROM, "Support"), personal.used("ada@example.org"),
                personal.used("Transcript of your chat with Zoë"), personal.used("<p>Hello Ada, your order 4711</p>"),
                text == null ? null : personal.used(text), attachments);
    }

    MailFailure failure(SendGridMailer mailer, Email email) {
        MailFailure failure = assertThrows(MailFailure.class, () -> mailer.send(email));
        for (String value : personal.values()) {
            assertFalse(failure.getMessage().toLowerCase().contains(value), failure.getMessage());
        }
        assertEquals("sendgrid", failure.provider());
        return failure;
    }

    @Test
    void anEmailWithTextHtmlAndAttachmentsIsAcceptedAsSendGridRequiresIt() {
        byte[] photo = new byte[30_000];
        new Random(3).nextBytes(photo);
        Email email = email("Hello Ada, plain", List.of(new Email.Attachment("photo.jpg", "image/jpeg", photo)));

        SentEmail sent = mailer().send(email);

        CapturedEmail received = sendGrid.captured().get(0);
        assertEquals("sendgrid", sent.provider());
        assertEquals(received.id(), sent.messageId(), "X-Message-Id");
        assertEquals(FROM, received.fromAddress());
        assertEquals("Support", received.fromName());
        assertEquals(List.of("ada@example.org"), received.to());
        assertEquals("Transcript of your chat with Zoë", received.subject());
        assertEquals("Hello Ada, plain", received.text(), "text/plain first, or SendGrid refuses the email");
        assertEquals("<p>Hello Ada, your order 4711</p>", received.html());
        assertArrayEquals(photo, received.attachments().get(0).content());
        assertEquals("image/jpeg", received.attachments().get(0).contentType());
        assertEquals("attachment", received.attachments().get(0).disposition());
        JsonNode line = logs.lines().stream().filter(l -> l.path("message").asText().equals("Email sent")).findFirst().orElseThrow();
        assertEquals("sendgrid", line.path("provider").asText());
        assertEquals(sent.messageId(), line.path("messageId").asText());
    }

    @Test
    void anHtmlOnlyEmailSendsOneContentBlock() {
        mailer().send(email(null, List.of()));

        assertNull(sendGrid.captured().get(0).text());
    }

    @Test
    void aWrongKeyIsA401WithoutACode() {
        MailFailure failure = failure(new SendGridMailer(URI.create(sendGrid.url()), "SG.wrong", Mailers.CALL_TIMEOUT),
                email(null, List.of()));

        assertEquals(MailFailure.Kind.ERROR_ANSWER, failure.kind());
        assertEquals(401, failure.providerStatus());
        assertNull(failure.providerCode(), "SendGrid's error names no field");
        assertFalse(failure.outcomeUnknown());
        assertEquals(502, failure.toApiError().status());
    }

    @Test
    void anUnverifiedSenderIsA403OnFrom() {
        Email email = new Email(new Email.Address(personal.used("owner@unverified.example"), null), "ada@example.org", "S",
                "<p>x</p>", null, List.of());

        MailFailure failure = failure(mailer(), email);

        assertEquals(403, failure.providerStatus());
        assertEquals("from", failure.providerCode());
    }

    @Test
    void anEmptyBodyIsRefusedOnItsField() {
        Email email = new Email(new Email.Address(FROM, null), "ada@example.org", "S", "", null, List.of());

        MailFailure failure = failure(mailer(), email);

        assertEquals(400, failure.providerStatus());
        assertEquals("content.0.value", failure.providerCode());
    }

    @Test
    void anHtml413PageIsAnErrorAnswerNotACrash() {
        sendGrid.maxBytes(10_000);

        MailFailure failure = failure(mailer(), email(null, List.of(new Email.Attachment("big.bin", null, new byte[20_000]))));

        assertEquals(MailFailure.Kind.ERROR_ANSWER, failure.kind());
        assertEquals(413, failure.providerStatus());
        assertNull(failure.providerCode());
        assertFalse(failure.outcomeUnknown());
    }

    @Test
    void aServerErrorOrA502PageMayHaveSentIt() {
        SendGridMailer mailer = mailer();
        sendGrid.failNext(1, MailFault.SERVER_ERROR);
        MailFailure internal = failure(mailer, email(null, List.of()));
        sendGrid.failNext(1, MailFault.UNREADABLE_ANSWER);
        MailFailure gateway = failure(mailer, email(null, List.of()));

        assertEquals(500, internal.providerStatus());
        assertTrue(internal.outcomeUnknown());
        assertEquals(502, gateway.providerStatus());
        assertEquals(MailFailure.Kind.ERROR_ANSWER, gateway.kind(), "an HTML page on an error status is still an error answer");
        assertTrue(gateway.outcomeUnknown());
    }

    @Test
    void oneThrottlingIsWaitedOutAndTheEmailSentOnce() {
        sendGrid.failNext(1, MailFault.THROTTLED);

        mailer().send(email(null, List.of()));

        assertEquals(1, sendGrid.captured().size());
    }

    @Test
    void twoThrottlingsAreThe429() {
        sendGrid.failNext(2, MailFault.THROTTLED);

        MailFailure failure = failure(mailer(), email(null, List.of()));

        assertEquals(429, failure.providerStatus());
        assertFalse(failure.outcomeUnknown());
    }

    @Test
    void noAnswerEndsAtTheDeadline() {
        sendGrid.failNext(1, MailFault.NO_ANSWER);
        long started = System.nanoTime();

        MailFailure failure = Deadline.after(Duration.ofMillis(600)).run(() -> failure(mailer(), email(null, List.of())));

        assertEquals(MailFailure.Kind.NO_ANSWER, failure.kind());
        assertTrue(failure.outcomeUnknown());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 1_500);
        assertEquals(504, failure.toApiError().status());
        assertEquals("mail_timeout", failure.toApiError().code());
    }

    @Test
    void theKeyIsNotInTheMailersString() {
        assertFalse(mailer().toString().contains(KEY));
    }
}
