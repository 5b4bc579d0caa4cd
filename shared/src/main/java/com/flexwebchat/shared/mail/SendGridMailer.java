package com.flexwebchat.shared.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * SendGrid's v3 Mail Send (https://www.twilio.com/docs/sendgrid/api-reference/mail-send): {@code POST /v3/mail/send}
 * with {@code Authorization: Bearer <SENDGRID_API_KEY>}, the JSON the upstream server's @sendgrid/mail helper builds
 * ({@code personalizations[].to[].email}, {@code from}, {@code subject}, {@code content} with text/plain before
 * text/html, as SendGrid requires, and {@code attachments} with base64 {@code content}).
 *
 * <p>Success is 202 with an empty body and the id in {@code X-Message-Id}. An error is JSON
 * {@code {"errors": [{"message", "field", "help"}]}}, of which only the first error's {@code field} is kept as the
 * code (the message can quote an address); a body that is not JSON (an HTML 413 page from its proxy,
 * https://github.com/sendgrid/sendgrid-nodejs/issues/370) is still an error answer, without a code.
 */
public final class SendGridMailer implements Mailer {

    public static final String PROVIDER = "sendgrid";
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_.\\[\\]-]{1,100}");
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9._@+=/-]{1,200}");

    private final URI endpoint;
    private final String apiKey;
    private final MailHttp http;

    /**
     * @param baseUrl     SendGrid's API ({@code https://api.sendgrid.com}; {@code https://api.eu.sendgrid.com} for EU
     *                    subusers; a stand-in locally)
     * @param callTimeout the longest one call may take, whatever the invocation's deadline leaves
     */
    public SendGridMailer(URI baseUrl, String apiKey, Duration callTimeout) {
        String base = baseUrl.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v3/mail/send");
        this.apiKey = apiKey;
        this.http = new MailHttp(PROVIDER, callTimeout);
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    /** Fresh connections, for after a SnapStart restore. */
    @Override
    public void reconnect() {
        http.reconnect();
    }

    @Override
    public SentEmail send(Email email) {
        byte[] body = Mailers.json(request(email));
        long started = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = http.exchange(timeout -> HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        } catch (MailFailure failure) {
            Mailers.logFailure(failure, body.length, email, started);
            throw failure;
        }
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            MailFailure failure = MailFailure.errorAnswer(PROVIDER, status, firstErrorField(response.body()));
            Mailers.logFailure(failure, body.length, email, started);
            throw failure;
        }
        // 202 means accepted, whatever else the answer lacks: failing it would tell the caller it may not have gone.
        String messageId = response.headers().firstValue("X-Message-Id").filter(id -> MESSAGE_ID.matcher(id).matches())
                .orElse(null);
        Mailers.logSent(PROVIDER, messageId, body.length, email, started);
        return new SentEmail(PROVIDER, messageId);
    }

    /** The Mail Send request, as @sendgrid/mail builds it from {to, from, subject, text, html, attachments}. */
    static ObjectNode request(Email email) {
        ObjectNode request = Json.object();
        request.putArray("personalizations").addObject().putArray("to").addObject().put("email", Addresses.ascii(email.to()));
        ObjectNode from = request.putObject("from").put("email", Addresses.ascii(email.from().address()));
        if (email.from().name() != null && !email.from().name().isBlank()) {
            from.put("name", email.from().name().strip());
        }
        request.put("subject", email.subject());
        ArrayNode content = request.putArray("content");
        if (email.text() != null && !email.text().isEmpty()) {
            content.addObject().put("type", "text/plain").put("value", email.text());
        }
        content.addObject().put("type", "text/html").put("value", email.html());
        if (!email.attachments().isEmpty()) {
            ArrayNode attachments = request.putArray("attachments");
            for (Email.Attachment attachment : email.attachments()) {
                ObjectNode out = attachments.addObject()
                        .put("content", Base64.getEncoder().encodeToString(attachment.content()))
                        .put("filename", attachment.filename());
                if (attachment.contentType() != null) {
                    out.put("type", attachment.contentType());
                }
                out.put("disposition", "attachment");
            }
        }
        return request;
    }

    /** The first error's {@code field} ({@code from.email}...), when the body is SendGrid's error JSON and it has one. */
    private static String firstErrorField(byte[] body) {
        try {
            JsonNode answer = Json.MAPPER.readTree(body);
            String field = answer == null ? null : answer.path("errors").path(0).path("field").asText(null);
            return field != null && FIELD.matcher(field).matches() ? field : null;
        } catch (IOException e) {
            return null; // an HTML page: an error answer all the same
        }
    }

    /** Never print the key. */
    @Override
    public String toString() {
        return "SendGridMailer[" + endpoint + "]";
    }
}
