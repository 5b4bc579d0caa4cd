package com.flexwebchat.standins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * LocalSendGrid against v3 Mail Send's documented contract (https://www.twilio.com/docs/sendgrid/api-reference/mail-send,
 * https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors, the OpenAPI spec tsg_mail_v3.json).
 */
class LocalSendGridContractTest {

    static final String KEY = "SG.local-test-key";
    static final String FROM = "transcripts@example.com";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final LocalSendGrid sendGrid = LocalSendGrid.start(KEY).verify(FROM);

    @AfterEach
    void stop() {
        sendGrid.close();
    }

    static ObjectNode request() {
        ObjectNode request = JSON.createObjectNode();
        request.putArray("personalizations").addObject().putArray("to").addObject().put("email", "ada@example.org");
        request.putObject("from").put("email", FROM).put("name", "Support");
        request.put("subject", "Transcript of your chat");
        request.putArray("content").addObject().put("type", "text/html").put("value", "<p>Hello</p>");
        return request;
    }

    HttpResponse<String> post(JsonNode request) throws Exception {
        return post(JSON.writeValueAsBytes(request), "Bearer " + KEY, Duration.ofSeconds(20));
    }

    HttpResponse<String> post(byte[] body, String authorization, Duration timeout) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sendGrid.url() + LocalSendGrid.PATH)).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The first error's field, after checking the answer is SendGrid's error shape. */
    static String errorField(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body()).path("errors").path(0);
        assertTrue(error.has("message") && error.has("field") && error.has("help"), response.body());
        return error.get("field").isNull() ? null : error.get("field").asText();
    }

    @Test
    void anEmailIsAcceptedWith202NoBodyAndAMessageIdAndCaptured() throws Exception {
        ObjectNode request = request();
        ((ArrayNode) request.get("content")).insert(0, JSON.createObjectNode().put("type", "text/plain").put("value", "Hello"));
        request.putArray("attachments").addObject().put("content", Base64.getEncoder().encodeToString(new byte[] {0, (byte) 0xfe}))
                .put("filename", "a.png").put("type", "image/png").put("disposition", "attachment");

        HttpResponse<String> response = post(request);

        assertEquals(202, response.statusCode(), response.body());
        assertEquals("", response.body());
        String id = response.headers().firstValue("X-Message-Id").orElseThrow();
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
        CapturedEmail email = sendGrid.captured().get(0);
        assertEquals(id, email.id());
        assertEquals(FROM, email.fromAddress());
        assertEquals("Support", email.fromName());
        assertEquals(List.of("ada@example.org"), email.to());
        assertEquals("Transcript of your chat", email.subject());
        assertEquals("Hello", email.text());
        assertEquals("<p>Hello</p>", email.html());
        assertArrayEquals(new byte[] {0, (byte) 0xfe}, email.attachments().get(0).content());
        assertEquals("image/png", email.attachments().get(0).contentType());
    }

    @Test
    void withoutTheKeyItIsAuthorizationRequired() throws Exception {
        String expected = "{\"errors\":[{\"message\":\"authorization required\",\"field\":null,\"help\":null}]}";
        byte[] body = JSON.writeValueAsBytes(request());

        for (String authorization : new String[] {null, "Bearer SG.another-key", KEY}) {
            HttpResponse<String> response = post(body, authorization, Duration.ofSeconds(5));
            assertEquals(401, response.statusCode());
            assertEquals(JSON.readTree(expected), JSON.readTree(response.body()));
        }
        assertEquals(List.of(), sendGrid.captured());
    }

    @Test
    void anUnverifiedSenderIsForbidden() throws Exception {
        ObjectNode request = request();
        ((ObjectNode) request.get("from")).put("email", "someone@elsewhere.example");

        HttpResponse<String> response = post(request);

        assertEquals("from", errorField(response, 403));
        assertTrue(response.body().contains("does not match a verified Sender Identity"), response.body());
    }

    @Test
    void aVerifiedDomainVerifiesEveryAddressOfIt() throws Exception {
        sendGrid.verify("shop.example");
        ObjectNode request = request();
        ((ObjectNode) request.get("from")).put("email", "noreply@shop.example");

        assertEquals(202, post(request).statusCode());
    }

    @Test
    void textPlainMustComeBeforeTextHtml() throws Exception {
        // "text/plain must be first" (sendgrid-python#451; the errors page: "If present, text/plain and text/html may only be provided once.")
        ObjectNode request = request();
        ((ArrayNode) request.get("content")).add(JSON.createObjectNode().put("type", "text/plain").put("value", "Hello"));

        assertEquals("content.1.type", errorField(post(request), 400));
    }

    @Test
    void contentValuesMustNotBeEmpty() throws Exception {
        ObjectNode request = request();
        ((ObjectNode) request.get("content").get(0)).put("value", "");

        assertEquals("content.0.value", errorField(post(request), 400));
    }

    @Test
    void theRequiredPartsAreNamedByField() throws Exception {
        ObjectNode noPersonalizations = request();
        noPersonalizations.putArray("personalizations");
        ObjectNode noSubject = request();
        noSubject.remove("subject");
        ObjectNode badTo = request();
        ((ObjectNode) badTo.at("/personalizations/0/to/0")).put("email", "not an address");
        ObjectNode noFrom = request();
        noFrom.remove("from");
        ObjectNode noContent = request();
        noContent.remove("content");
        ObjectNode twice = request();
        ((ArrayNode) twice.at("/personalizations/0/to")).addObject().put("email", "ADA@example.org");

        assertEquals("personalizations", errorField(post(noPersonalizations), 400));
        assertEquals("subject", errorField(post(noSubject), 400));
        assertEquals("personalizations.0.to.0.email", errorField(post(badTo), 400));
        assertEquals("from", errorField(post(noFrom), 400));
        assertEquals("content", errorField(post(noContent), 400));
        assertEquals("personalizations.0.to.1.email", errorField(post(twice), 400));
        assertEquals(List.of(), sendGrid.captured());
    }

    @Test
    void aSubjectInEveryPersonalizationIsEnough() throws Exception {
        ObjectNode request = request();
        request.remove("subject");
        ((ObjectNode) request.at("/personalizations/0")).put("subject", "Per recipient");

        assertEquals(202, post(request).statusCode());
        assertEquals("Per recipient", sendGrid.captured().get(0).subject());
    }

    @Test
    void attachmentsNeedBase64ContentAndAFilename() throws Exception {
        ObjectNode noName = request();
        noName.putArray("attachments").addObject().put("content", "AAE=");
        ObjectNode notBase64 = request();
        notBase64.putArray("attachments").addObject().put("content", "not base64!").put("filename", "a.png");
        ObjectNode inlineWithoutId = request();
        inlineWithoutId.putArray("attachments").addObject().put("content", "AAE=").put("filename", "a.png")
                .put("disposition", "inline");

        assertEquals("attachments.0.filename", errorField(post(noName), 400));
        assertEquals("attachments.0.content", errorField(post(notBase64), 400));
        assertEquals("attachments.0.content_id", errorField(post(inlineWithoutId), 400));
    }

    @Test
    void thirtyMegabytesOrMoreIsAn413HtmlPageNotJson() throws Exception {
        // "must be less than 30MB"; the answer seen is nginx's HTML (https://github.com/sendgrid/sendgrid-nodejs/issues/370).
        ObjectNode request = request();
        request.putArray("attachments").addObject().put("content", Base64.getEncoder().encodeToString(new byte[23 * 1024 * 1024]))
                .put("filename", "big.bin");

        HttpResponse<String> response = post(request);

        assertEquals(413, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(response.body().contains("413 Request Entity Too Large"), response.body());
        assertEquals(List.of(), sendGrid.captured());
    }

    @Test
    void faultsAnswerTheNextRequestsThenItAnswersAgain() throws Exception {
        sendGrid.failNext(1, MailFault.THROTTLED);
        sendGrid.failNext(1, MailFault.SERVER_ERROR);
        sendGrid.failNext(1, MailFault.ACCESS_DENIED);
        sendGrid.failNext(1, MailFault.UNREADABLE_ANSWER);

        assertEquals(null, errorField(post(request()), 429));
        assertEquals(null, errorField(post(request()), 500));
        assertEquals(null, errorField(post(request()), 403));
        HttpResponse<String> html = post(request());
        assertEquals(502, html.statusCode());
        assertTrue(html.body().startsWith("<html>"));
        assertEquals(202, post(request()).statusCode());
        assertEquals(1, sendGrid.captured().size());
        assertThrows(IllegalArgumentException.class, () -> sendGrid.failNext(1, MailFault.SENDING_PAUSED), "SES's only");
    }

    @Test
    void noAnswerHoldsTheRequestUntilTheClientGivesUp() {
        sendGrid.failNext(1, MailFault.NO_ANSWER);

        assertThrows(HttpTimeoutException.class,
                () -> post(JSON.writeValueAsBytes(request()), "Bearer " + KEY, Duration.ofMillis(300)));
        assertEquals(List.of(), sendGrid.captured());
    }

    @Test
    void theBodyIsUtf8() throws Exception {
        ObjectNode request = request().put("subject", "Zoë 李 🙂");

        assertEquals(202, post(request).statusCode());
        assertEquals("Zoë 李 🙂", sendGrid.captured().get(0).subject());
        assertTrue(new String(sendGrid.captured().get(0).toEml(), StandardCharsets.ISO_8859_1).contains("=?UTF-8?B?"));
    }
}
