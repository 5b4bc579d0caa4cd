package com.flexwebchat.shared.mail;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.http.Invocation;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.LogCapture;
import com.flexwebchat.shared.testing.PersonalData;
import com.flexwebchat.standins.CapturedEmail;
import com.flexwebchat.standins.LocalSes;
import com.flexwebchat.standins.MailFault;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SesMailer over HTTP against LocalSes, which checks every request as SES v2 SendEmail does, signature included. */
class SesMailerTest {

    static final String FROM = "transcripts@example.com";
    static final String KEY_ID = "AKIDMAILTEST";
    static final String SECRET = "mail-test-secret";
    static final byte[] PHOTO = randomBytes(40_000);

    final LocalSes ses = LocalSes.start("eu-west-1").acceptCredentials(KEY_ID, SECRET).verify(FROM);
    final LogCapture logs = new LogCapture();
    final PersonalData personal = new PersonalData();

    @AfterEach
    void stop() {
        // Whatever each test did, nothing a visitor wrote, nor their address, reached a log.
        personal.assertNoneIn(List.of(), logs.text());
        logs.close();
        ses.close();
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return bytes;
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(ses.environment());
        env.put("AWS_ACCESS_KEY_ID", KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        return env;
    }

    SesMailer mailer() {
        return SesMailer.fromEnvironment(env(), Mailers.CALL_TIMEOUT);
    }

    Email email(String to, List<Email.Attachment> attachments) {
        return new Email(new Email.Address(FROM, "Zoë's Support"), personal.used(to), personal.used("Transcript of your chat with Zoë"),
                personal.used("<p>Hello Ada, your order 4711 is on its way</p>"), personal.used("Hello Ada, plain"), attachments);
    }

    Email email() {
        return email("ada@example.org", List.of());
    }

    /** Sends, expecting a failure, and checks it says nothing of the email. */
    MailFailure failure(SesMailer mailer, Email email) {
        MailFailure failure = assertThrows(MailFailure.class, () -> mailer.send(email));
        for (String value : personal.values()) {
            assertFalse(String.valueOf(failure.getMessage()).toLowerCase().contains(value), failure.getMessage());
        }
        assertEquals("ses", failure.provider());
        return failure;
    }

    JsonNode logged(String message) {
        return logs.lines().stream().filter(l -> l.path("message").asText().equals(message)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no '" + message + "' in " + logs.text()));
    }

    @Test
    void anEmailWithAttachmentsArrivesIntactAsSimpleContent() {
        Email email = email("ada@example.org", List.of(new Email.Attachment(personal.used("holiday-photo.jpg"), "image/jpeg", PHOTO),
                new Email.Attachment("notes.txt", "text/plain", "line 1\r\nline 2".getBytes(StandardCharsets.UTF_8))));

        SentEmail sent = mailer().send(email);

        assertEquals("ses", sent.provider());
        CapturedEmail received = ses.captured().get(0);
        assertEquals(received.id(), sent.messageId());
        assertEquals(FROM, received.fromAddress());
        assertEquals("Zoë's Support", received.fromName(), "a non-ASCII name goes as RFC 2047 encoded-words");
        assertEquals(List.of("ada@example.org"), received.to());
        assertEquals("Transcript of your chat with Zoë", received.subject());
        assertEquals("<p>Hello Ada, your order 4711 is on its way</p>", received.html());
        assertEquals("Hello Ada, plain", received.text());
        assertEquals(2, received.attachments().size());
        CapturedEmail.Attachment photo = received.attachments().get(0);
        assertEquals("holiday-photo.jpg", photo.filename());
        assertEquals("image/jpeg", photo.contentType());
        assertArrayEquals(PHOTO, photo.content());
        assertEquals("base64", photo.transferEncoding(), "BASE64 said explicitly: SES's default is SEVEN_BIT");
        assertEquals("attachment", photo.disposition());
        assertArrayEquals("line 1\r\nline 2".getBytes(StandardCharsets.UTF_8), received.attachments().get(1).content());

        JsonNode line = logged("Email sent");
        assertEquals("ses", line.path("provider").asText());
        assertEquals(sent.messageId(), line.path("messageId").asText());
        assertEquals(2, line.path("attachments").asInt());
        assertEquals(PHOTO.length + 14, line.path("attachmentBytes").asLong());
    }

    @Test
    void anHtmlOnlyEmailHasNoTextPart() {
        Email email = new Email(new Email.Address(FROM, null), "ada@example.org", "Subject", "<p>x</p>", null, null);

        mailer().send(email);

        assertNull(ses.captured().get(0).text());
        assertNull(ses.captured().get(0).fromName());
    }

    @Test
    void anInternationalisedDomainIsSentInPunycodeAsSesRequires() {
        mailer().send(email("ada@bücher.example", List.of()));

        assertEquals(List.of("ada@xn--bcher-kva.example"), ses.captured().get(0).to());
    }

    @Test
    void theSessionTokenIsSignedAndSent() {
        Map<String, String> env = env();
        env.put("AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjE-session-token");

        SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT).send(email());

        assertEquals(1, ses.captured().size(), "LocalSes refuses a token that is sent but not signed");
    }

    @Test
    void aSignatureWithAnotherSecretIsRefusedAndNotSent() {
        Map<String, String> env = env();
        env.put("AWS_SECRET_ACCESS_KEY", "not-the-secret");

        MailFailure failure = failure(SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT), email());

        assertEquals(MailFailure.Kind.ERROR_ANSWER, failure.kind());
        assertEquals(403, failure.providerStatus());
        assertEquals("InvalidSignatureException", failure.providerCode(), "the Coral suffix stripped from x-amzn-ErrorType");
        assertFalse(failure.outcomeUnknown());
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void aSignatureForAnotherRegionIsRefused() {
        Map<String, String> env = env();
        env.put("AWS_REGION", "us-east-1"); // the stand-in is eu-west-1's SES

        assertEquals("InvalidSignatureException", failure(SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT), email()).providerCode());
    }

    @Test
    void anUnverifiedSenderIsMessageRejectedAndItsMessageWhichQuotesTheAddressIsKeptOut() {
        Email email = new Email(new Email.Address(personal.used("owner@unverified.example"), null), "ada@example.org",
                "Subject", "<p>x</p>", null, List.of());

        MailFailure failure = failure(mailer(), email);

        assertEquals(400, failure.providerStatus());
        assertEquals("MessageRejected", failure.providerCode());
        assertFalse(failure.outcomeUnknown(), "a 400 was not sent");
        assertEquals("ses refused the email: HTTP 400 MessageRejected", failure.getMessage());
        JsonNode line = logged("Email not sent");
        assertEquals("ERROR_ANSWER", line.path("kind").asText());
        assertEquals(400, line.path("status").asInt());
        assertEquals("MessageRejected", line.path("errorCode").asText());
        ApiError error = failure.toApiError();
        assertEquals(502, error.status());
        assertEquals("mail_error", error.code());
    }

    @Test
    void anAddressSesCannotTakeIsABadRequest() {
        MailFailure failure = failure(mailer(), email("zoë@example.org", List.of()));

        assertEquals(400, failure.providerStatus());
        assertEquals("BadRequestException", failure.providerCode());
    }

    @Test
    void eachInjectedErrorComesBackWithItsStatusAndType() {
        Object[][] cases = {
            {MailFault.SENDING_PAUSED, 400, "SendingPausedException", false},
            {MailFault.ACCESS_DENIED, 403, "AccessDeniedException", false},
            {MailFault.SERVER_ERROR, 500, "InternalFailure", true},
        };
        SesMailer mailer = mailer();
        for (Object[] c : cases) {
            ses.failNext(1, (MailFault) c[0]);

            MailFailure failure = failure(mailer, email());

            assertEquals(MailFailure.Kind.ERROR_ANSWER, failure.kind(), c[0].toString());
            assertEquals(c[1], failure.providerStatus(), c[0].toString());
            assertEquals(c[2], failure.providerCode(), c[0].toString());
            assertEquals(c[3], failure.outcomeUnknown(), c[0] + ": a 5xx may have sent it");
        }
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void anUnknownAccessKeyIsRefused() {
        Map<String, String> env = env();
        env.put("AWS_ACCESS_KEY_ID", "AKIDSOMEONEELSE");

        assertEquals("UnrecognizedClientException", failure(SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT), email()).providerCode());
    }

    @Test
    void oneThrottlingIsWaitedOutAndTheEmailSentOnce() {
        ses.failNext(1, MailFault.THROTTLED);
        long started = System.nanoTime();

        SentEmail sent = mailer().send(email());

        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(1, ses.captured().size());
        assertEquals(ses.captured().get(0).id(), sent.messageId());
        assertTrue(tookMillis >= 1_000 && tookMillis < 3_000, "one pause of a second: " + tookMillis + " ms");
        assertEquals("ses", logged("Email provider throttled the email; trying once more").path("provider").asText());
    }

    @Test
    void aSecondThrottlingIsTheAnswerWithoutAThirdTry() {
        ses.failNext(2, MailFault.THROTTLED);

        MailFailure failure = failure(mailer(), email());

        assertEquals(429, failure.providerStatus());
        assertEquals("TooManyRequestsException", failure.providerCode());
        assertFalse(failure.outcomeUnknown(), "throttled is not sent");
        long started = System.nanoTime();
        mailer().send(email());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 900, "both faults were used up by the two tries, no third");
        assertEquals(1, ses.captured().size());
    }

    @Test
    void aThrottlingIsNotRetriedWhenTheInvocationCannotAffordThePause() {
        ses.failNext(1, MailFault.THROTTLED);
        long started = System.nanoTime();

        MailFailure failure = Deadline.after(Duration.ofMillis(1_800)).run(() -> failure(mailer(), email()));

        assertEquals(429, failure.providerStatus());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 900, "no pause");
    }

    @Test
    void noAnswerEndsAtTheInvocationsDeadlineAndTheOutcomeIsUnknown() {
        ses.failNext(1, MailFault.NO_ANSWER);
        long started = System.nanoTime();

        MailFailure failure = Deadline.after(Duration.ofMillis(700)).run(() -> failure(mailer(), email()));

        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(MailFailure.Kind.NO_ANSWER, failure.kind());
        assertTrue(failure.outcomeUnknown(), "the request was sent: it may have gone");
        assertTrue(tookMillis >= 600 && tookMillis < 1_500, "bounded by the deadline: " + tookMillis + " ms");
        ApiError error = failure.toApiError();
        assertEquals(504, error.status());
        assertEquals("mail_timeout", error.code());
        assertTrue(error.getMessage().contains("may still arrive"), error.getMessage());
    }

    @Test
    void noAnswerEndsAtTheCallTimeoutOutsideAnInvocation() {
        ses.failNext(1, MailFault.NO_ANSWER);
        long started = System.nanoTime();

        MailFailure failure = failure(SesMailer.fromEnvironment(env(), Duration.ofMillis(400)), email());

        assertEquals(MailFailure.Kind.NO_ANSWER, failure.kind());
        assertTrue((System.nanoTime() - started) / 1_000_000 < 1_500);
    }

    @Test
    void aDroppedConnectionIsNoAnswerWithTheOutcomeUnknown() {
        ses.failNext(1, MailFault.DROPPED);

        MailFailure failure = failure(mailer(), email());

        assertEquals(MailFailure.Kind.NO_ANSWER, failure.kind());
        assertTrue(failure.outcomeUnknown());
    }

    @Test
    void aRefusedConnectionIsNoAnswerKnownNotSent() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Map<String, String> env = env();
        env.put("AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:" + port);

        MailFailure failure = failure(SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT), email());

        assertEquals(MailFailure.Kind.NO_ANSWER, failure.kind());
        assertFalse(failure.outcomeUnknown(), "nothing reached SES");
        assertEquals(504, failure.toApiError().status());
        assertTrue(failure.toApiError().getMessage().contains("try again"), failure.toApiError().getMessage());
    }

    @Test
    void withNoTimeLeftNothingIsSent() {
        MailFailure failure = Deadline.after(Duration.ofMillis(50)).run(() -> failure(mailer(), email()));

        assertEquals(MailFailure.Kind.NO_ANSWER, failure.kind());
        assertFalse(failure.outcomeUnknown());
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void aSuccessThatCannotBeReadIsUnreadableWithTheOutcomeUnknown() {
        ses.failNext(1, MailFault.UNREADABLE_ANSWER);

        MailFailure failure = failure(mailer(), email());

        assertEquals(MailFailure.Kind.UNREADABLE_ANSWER, failure.kind());
        assertEquals(200, failure.providerStatus());
        assertTrue(failure.outcomeUnknown(), "a 200 may mean it went");
        assertEquals(502, failure.toApiError().status());
    }

    @Test
    void withoutCredentialsNothingIsSent() {
        Map<String, String> env = new HashMap<>(ses.environment());

        MailFailure failure = failure(SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT), email());

        assertEquals(MailFailure.Kind.NO_ANSWER, failure.kind());
        assertFalse(failure.outcomeUnknown());
    }

    @Test
    void theTimeGoesUnderMailAndIntoTheAccessLine() {
        ses.failNext(1, MailFault.NO_ANSWER);
        SesMailer mailer = SesMailer.fromEnvironment(env(), Duration.ofMillis(300));
        UpstreamTime[] seen = new UpstreamTime[1];

        HttpResponse response = Invocation.run("POST /email", null, Duration.ofSeconds(5), () -> {
            seen[0] = UpstreamTime.current();
            try {
                mailer.send(email());
                return HttpResponse.ok(Json.object());
            } catch (MailFailure failure) {
                throw failure.toApiError();
            }
        });

        assertEquals(504, response.status());
        assertEquals("mail_timeout", response.body().path("error").path("code").asText());
        assertTrue(seen[0].of(Mailers.UPSTREAM).toMillis() >= 250);
        JsonNode line = logged("Request completed");
        assertTrue(line.path("mailMillis").asDouble() >= 250, line.toString());
    }

    @Test
    void theEndpointIsSesV2sOverrideThenTheGeneralOneThenTheRegions() {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "eu-west-1"));
        assertEquals(URI.create("https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails"),
                SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT).endpoint());
        env.put("AWS_REGION", "cn-north-1");
        assertEquals(URI.create("https://email.cn-north-1.amazonaws.com.cn/v2/email/outbound-emails"),
                SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT).endpoint());
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
        assertEquals(URI.create("http://127.0.0.1:4566/v2/email/outbound-emails"),
                SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT).endpoint());
        env.put("AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:9999");
        assertEquals(URI.create("http://127.0.0.1:9999/v2/email/outbound-emails"),
                SesMailer.fromEnvironment(env, Mailers.CALL_TIMEOUT).endpoint());
    }
}
