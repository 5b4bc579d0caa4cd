package com.flexwebchat.standins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LocalSes against SES v2 SendEmail's documented contract
 * (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html, the botocore sesv2 model,
 * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html), with requests signed by {@link SesClient}.
 */
class LocalSesContractTest {

    static final String FROM = "transcripts@example.com";

    final LocalSes ses = LocalSes.start("eu-west-1").acceptCredentials(SesClient.KEY_ID, SesClient.SECRET).verify(FROM);
    final SesClient client = new SesClient(ses);

    @AfterEach
    void stop() {
        ses.close();
    }

    static ObjectNode request() {
        ObjectNode request = SesClient.JSON.createObjectNode();
        request.put("FromEmailAddress", FROM);
        request.putObject("Destination").putArray("ToAddresses").add("ada@example.org");
        ObjectNode simple = request.putObject("Content").putObject("Simple");
        simple.putObject("Subject").put("Data", "Transcript of your chat").put("Charset", "UTF-8");
        simple.putObject("Body").putObject("Html").put("Data", "<p>Hello</p>").put("Charset", "UTF-8");
        return request;
    }

    static ObjectNode withAttachment(ObjectNode request, Consumer<ObjectNode> shape) {
        ObjectNode attachment = ((ObjectNode) request.path("Content").path("Simple")).withArray("Attachments").addObject();
        attachment.put("FileName", "a.png").put("RawContent", Base64.getEncoder().encodeToString(new byte[] {1, 2, (byte) 0xff}))
                .put("ContentType", "image/png").put("ContentDisposition", "ATTACHMENT").put("ContentTransferEncoding", "BASE64");
        shape.accept(attachment);
        return request;
    }

    static void assertError(SesClient.Answer answer, int status, String type) {
        assertEquals(status, answer.status(), answer.rawBody());
        assertEquals(type + ":http://internal.amazon.com/coral/com.amazonaws.sesv2/", answer.errorType(), "restJson1's header");
        assertTrue(answer.body().has("message"), "restJson1's {\"message\"}: " + answer.rawBody());
        assertTrue(answer.requestId() != null && !answer.requestId().isEmpty());
    }

    @Test
    void aSimpleEmailIsAcceptedWithAMessageIdAndCapturedAsSent() throws Exception {
        ObjectNode request = withAttachment(request(), a -> { });
        ((ObjectNode) request.path("Content").path("Simple").path("Body")).putObject("Text").put("Data", "Hello");
        request.put("FromEmailAddress", "=?UTF-8?B?" + Base64.getEncoder().encodeToString("Zoë".getBytes(StandardCharsets.UTF_8))
                + "?= <" + FROM + ">");

        SesClient.Answer answer = client.post(request);

        assertEquals(200, answer.status(), answer.rawBody());
        String id = answer.body().path("MessageId").asText();
        assertTrue(id.matches("0100[0-9a-f]{12}-[0-9a-f-]{36}-000000"), id);
        assertTrue(answer.requestId() != null);
        CapturedEmail email = ses.captured().get(0);
        assertEquals(id, email.id());
        assertEquals(FROM, email.fromAddress());
        assertEquals("Zoë", email.fromName(), "an encoded-word name, as SES requires non-ASCII names");
        assertEquals(List.of("ada@example.org"), email.to());
        assertEquals("Transcript of your chat", email.subject());
        assertEquals("<p>Hello</p>", email.html());
        assertEquals("Hello", email.text());
        CapturedEmail.Attachment attachment = email.attachments().get(0);
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, attachment.content());
        assertEquals("image/png", attachment.contentType());
        assertEquals("attachment", attachment.disposition());
        assertEquals("base64", attachment.transferEncoding());
    }

    @Test
    void listenersHearOfEachAcceptedEmail() throws Exception {
        List<CapturedEmail> heard = new ArrayList<>();
        ses.onCaptured(heard::add);

        client.post(request());

        assertEquals(ses.captured(), heard);
    }

    @Test
    void anUnsignedRequestIsRefused() throws Exception {
        SesClient.Answer answer = client.send(LocalSes.PATH, new byte[] {'{', '}'}, new byte[] {'{', '}'}, false);

        assertError(answer, 403, "MissingAuthenticationTokenException");
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void anUnknownAccessKeyIsRefused() throws Exception {
        client.keyId = "AKIDSOMEONEELSE";

        assertError(client.post(request()), 403, "UnrecognizedClientException");
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        client.secret = "not-the-secret";

        assertError(client.post(request()), 403, "InvalidSignatureException");
    }

    @ParameterizedTest
    @ValueSource(strings = {"region", "service"})
    void aSignatureForAnotherRegionOrServiceIsRefused(String what) throws Exception {
        if (what.equals("region")) {
            client.signedRegion = "us-east-1";
        } else {
            client.service = "email";
        }

        assertError(client.post(request()), 403, "InvalidSignatureException");
    }

    @Test
    void aBodyChangedAfterSigningIsRefused() throws Exception {
        byte[] signed = SesClient.JSON.writeValueAsBytes(request());
        byte[] sent = new String(signed, StandardCharsets.UTF_8).replace("ada@", "eve@").getBytes(StandardCharsets.UTF_8);

        assertError(client.send(LocalSes.PATH, signed, sent, true), 403, "InvalidSignatureException");
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void anotherPathIsNoOperation() throws Exception {
        assertError(client.post("/v2/email/outbound-bulk-emails", SesClient.JSON.writeValueAsBytes(request())), 404,
                "UnknownOperationException");
    }

    @Test
    void contentMustBeExactlyOneOfSimpleRawOrTemplate() throws Exception {
        ObjectNode none = request();
        none.putObject("Content");
        ObjectNode two = request();
        ((ObjectNode) two.get("Content")).putObject("Raw").put("Data", "eA==");

        assertError(client.post(none), 400, "BadRequestException");
        assertError(client.post(two), 400, "BadRequestException");
    }

    @Test
    void rawContentIsSesButNotThisStandIns() throws Exception {
        ObjectNode raw = request();
        raw.putObject("Content").putObject("Raw").put("Data", "eA==");

        SesClient.Answer answer = client.post(raw);

        assertError(answer, 400, "BadRequestException");
        assertTrue(answer.body().path("message").asText().contains("Simple only"), answer.rawBody());
    }

    @Test
    void aSimpleMessageNeedsASubjectAndABody() throws Exception {
        ObjectNode noSubject = request();
        ((ObjectNode) noSubject.at("/Content/Simple")).remove("Subject");
        ObjectNode noBody = request();
        ((ObjectNode) noBody.at("/Content/Simple/Body")).remove("Html");
        ObjectNode unknownCharset = request();
        ((ObjectNode) unknownCharset.at("/Content/Simple/Subject")).put("Charset", "NO-SUCH-CHARSET");

        assertError(client.post(noSubject), 400, "BadRequestException");
        assertError(client.post(noBody), 400, "BadRequestException");
        assertError(client.post(unknownCharset), 400, "BadRequestException");
    }

    @Test
    void anUnverifiedSenderIsMessageRejectedNamingTheRegionAndTheAddress() throws Exception {
        ObjectNode request = request().put("FromEmailAddress", "someone@elsewhere.example");

        SesClient.Answer answer = client.post(request);

        assertError(answer, 400, "MessageRejected");
        assertEquals("Email address is not verified. The following identities failed the check in region EU-WEST-1:"
                + " someone@elsewhere.example", answer.body().path("message").asText());
    }

    @Test
    void aVerifiedDomainVerifiesEveryAddressOfIt() throws Exception {
        ses.verify("shop.example");

        assertEquals(200, client.post(request().put("FromEmailAddress", "Shop <noreply@shop.example>")).status());
    }

    @Test
    void inTheSandboxEveryRecipientMustBeVerifiedOrTheSimulator() throws Exception {
        ses.sandbox(true);
        ObjectNode simulator = request();
        ((ArrayNode) simulator.at("/Destination/ToAddresses")).removeAll().add("success@simulator.amazonses.com");

        SesClient.Answer refused = client.post(request());

        assertError(refused, 400, "MessageRejected");
        assertTrue(refused.body().path("message").asText().endsWith(": ada@example.org"), refused.rawBody());
        assertEquals(200, client.post(simulator).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ada", "ada@", "ada@@example.org", "ada example@example.org", "zoë@example.org",
            "ada@bücher.example", "Ada <ada@example.org"})
    void anAddressSesCannotTakeIsABadRequest(String address) throws Exception {
        ObjectNode request = request();
        ((ArrayNode) request.at("/Destination/ToAddresses")).removeAll().add(address);

        assertError(client.post(request), 400, "BadRequestException");
    }

    @Test
    void namedAndPunycodeAddressesAreTaken() throws Exception {
        ObjectNode request = request();
        ((ArrayNode) request.at("/Destination/ToAddresses")).removeAll().add("\"Ada, L.\" <ada@xn--bcher-kva.example>");

        assertEquals(200, client.post(request).status());
    }

    @Test
    void atMostFiftyRecipientsAndAtLeastOne() throws Exception {
        ObjectNode many = request();
        ArrayNode to = (ArrayNode) many.at("/Destination/ToAddresses");
        for (int i = 1; i <= 50; i++) {
            to.add("visitor" + i + "@example.org");
        }
        ObjectNode none = request();
        none.remove("Destination");

        assertError(client.post(many), 400, "BadRequestException");
        assertError(client.post(none), 400, "BadRequestException");
    }

    @ParameterizedTest
    @ValueSource(strings = {"no FileName", "long FileName", "no RawContent", "RawContent not base64", "empty ContentType",
            "long ContentType", "ContentDisposition attachment", "ContentTransferEncoding base64", "long ContentId"})
    void attachmentFieldsAreCheckedAsTheModelSays(String wrong) throws Exception {
        ObjectNode request = withAttachment(request(), a -> {
            switch (wrong) {
                case "no FileName" -> a.remove("FileName");
                case "long FileName" -> a.put("FileName", "x".repeat(252) + ".png");
                case "no RawContent" -> a.remove("RawContent");
                case "RawContent not base64" -> a.put("RawContent", "not base64!");
                case "empty ContentType" -> a.put("ContentType", "");
                case "long ContentType" -> a.put("ContentType", "image/" + "x".repeat(73));
                case "ContentDisposition attachment" -> a.put("ContentDisposition", "attachment"); // enums are exact
                case "ContentTransferEncoding base64" -> a.put("ContentTransferEncoding", "base64");
                case "long ContentId" -> a.put("ContentId", "x".repeat(79));
                default -> throw new IllegalArgumentException(wrong);
            }
        });

        assertError(client.post(request), 400, "BadRequestException");
    }

    @Test
    void withoutATransferEncodingAnAttachmentGoesSevenBitAsDocumented() throws Exception {
        // The surprise the mailer guards against: "ContentTransferEncoding ... Default: SEVEN_BIT"
        // (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_Attachment.html).
        ObjectNode request = withAttachment(request(), a -> {
            a.remove("ContentTransferEncoding");
            a.remove("ContentDisposition");
            a.remove("ContentType");
        });

        assertEquals(200, client.post(request).status());
        CapturedEmail.Attachment attachment = ses.captured().get(0).attachments().get(0);
        assertEquals("7bit", attachment.transferEncoding());
        assertEquals("attachment", attachment.disposition());
        assertEquals("image/png", attachment.contentType(), "derived from the file name, as the guide says");
    }

    @Test
    void aFileTypeSesRefusesIsMessageRejected() throws Exception {
        assertError(client.post(withAttachment(request(), a -> a.put("FileName", "setup.EXE"))), 400, "MessageRejected");
    }

    @Test
    void aMessageOverFortyMegabytesOnceEncodedIsMessageRejected() throws Exception {
        // 30 MiB of attachment is 40 MiB and more in base64: over SES v2's limit (https://docs.aws.amazon.com/ses/latest/dg/quotas.html).
        byte[] big = new byte[30 * 1024 * 1024];
        ObjectNode request = withAttachment(request(), a -> a.put("RawContent", Base64.getEncoder().encodeToString(big)));

        SesClient.Answer answer = client.post(request);

        assertError(answer, 400, "MessageRejected");
        assertTrue(answer.body().path("message").asText().startsWith("Message length is more than 41943040 bytes long"),
                answer.rawBody());
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void aMessageJustUnderTheLimitIsTaken() throws Exception {
        byte[] big = new byte[29 * 1024 * 1024];
        ObjectNode request = withAttachment(request(), a -> a.put("RawContent", Base64.getEncoder().encodeToString(big)));

        assertEquals(200, client.post(request).status());
        assertEquals(big.length, ses.captured().get(0).attachments().get(0).content().length);
    }

    @Test
    void faultsAnswerTheNextRequestsThenItAnswersAgain() throws Exception {
        ses.failNext(2, MailFault.THROTTLED);
        ses.failNext(1, MailFault.SERVER_ERROR);
        ses.failNext(1, MailFault.SENDING_PAUSED);
        ses.failNext(1, MailFault.ACCESS_DENIED);
        ses.failNext(1, MailFault.UNREADABLE_ANSWER);

        assertError(client.post(request()), 429, "TooManyRequestsException");
        assertError(client.post(request()), 429, "TooManyRequestsException");
        assertError(client.post(request()), 500, "InternalFailure");
        assertError(client.post(request()), 400, "SendingPausedException");
        assertError(client.post(request()), 403, "AccessDeniedException");
        SesClient.Answer unreadable = client.post(request());
        assertEquals(200, unreadable.status());
        assertNull(unreadable.body(), "not JSON");
        assertEquals(200, client.post(request()).status());
        assertEquals(1, ses.captured().size());
    }

    @Test
    void noAnswerHoldsTheRequestUntilTheClientGivesUp() {
        ses.failNext(1, MailFault.NO_ANSWER);
        client.timeout = Duration.ofMillis(300);

        assertThrows(HttpTimeoutException.class, () -> client.post(request()));
        assertEquals(List.of(), ses.captured());
    }

    @Test
    void aDroppedRequestClosesTheConnectionWithoutAnAnswer() {
        ses.failNext(1, MailFault.DROPPED);

        IOException error = assertThrows(IOException.class, () -> client.post(request()));
        assertTrue(!(error instanceof HttpTimeoutException), error.toString());
    }
}
