package com.flexwebchat.standins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * SendGrid's v3 Mail Send on 127.0.0.1, checking a request as SendGrid does and keeping each email it accepts
 * ({@link #captured()}) instead of sending it. The contract (https://www.twilio.com/docs/sendgrid/api-reference/mail-send,
 * its errors page https://www.twilio.com/docs/sendgrid/api-reference/mail-send/errors, and the OpenAPI spec
 * {@code tsg_mail_v3.json}, operation SendMail):
 * <ul>
 *   <li>{@code POST /v3/mail/send}; {@code Authorization: Bearer <key>} with the key it was started with, else 401
 *       {@code {"errors":[{"message":"authorization required","field":null,"help":null}]}}.</li>
 *   <li>A body of 30 MB or more ("the total size of your email, including attachments, must be less than 30MB"): 413,
 *       as an HTML page from its nginx front, as it has been seen to answer
 *       (https://github.com/sendgrid/sendgrid-nodejs/issues/370), not the spec's JSON.</li>
 *   <li>JSON with {@code personalizations} (1 to 1000, each with a non-empty {@code to} of valid addresses, at most
 *       1000 recipients in all, none twice), {@code from.email} a valid address, a {@code subject} (global or in every
 *       personalization) of at least one character, {@code content} with non-empty string values, text/plain before
 *       text/html and each at most once, attachments with base64 {@code content} and a {@code filename}, and
 *       {@code disposition} inline or attachment. Otherwise 400 with each error's {@code field}.</li>
 *   <li>A {@code from.email} that is not a verified sender ({@link #verify}, an address or a whole domain): 403, SendGrid's
 *       "The from address does not match a verified Sender Identity..." on field {@code from}.</li>
 *   <li>Success: 202 with no body and the message id in {@code X-Message-Id}.</li>
 * </ul>
 * The error messages are SendGrid's where its errors page gives them, else close to them. Faults: {@link #failNext}.
 */
public final class LocalSendGrid extends MailStandIn {

    public static final String PATH = "/v3/mail/send";
    /** "must be less than 30MB". */
    public static final long MAX_BYTES = 30L * 1024 * 1024;
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@<>()\\[\\],;:\"]+@[^\\s@<>()\\[\\],;:\"]+\\.[^\\s@<>()\\[\\],;:\"]+");
    private static final String NGINX_413 = "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
            + "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String apiKey;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private volatile long maxBytes = MAX_BYTES;

    private LocalSendGrid(String apiKey) {
        super("local-sendgrid");
        this.apiKey = apiKey;
    }

    /** SendGrid on a free port of 127.0.0.1 accepting {@code apiKey}, with no sender verified. */
    public static LocalSendGrid start(String apiKey) {
        return new LocalSendGrid(apiKey);
    }

    /** Verifies a sender: an address (Single Sender Verification) or a domain (domain authentication). */
    public LocalSendGrid verify(String sender) {
        verified.add(sender.toLowerCase(Locale.ROOT));
        return this;
    }

    /** Another limit than SendGrid's 30 MB, so tests need not build 30 MB messages. */
    public LocalSendGrid maxBytes(long bytes) {
        this.maxBytes = bytes;
        return this;
    }

    /** What a function needs to send through this stand-in. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SENDGRID_API_KEY", apiKey);
        env.put("SENDGRID_API_BASE_URL", url());
        return env;
    }

    @Override
    boolean supports(MailFault fault) {
        return fault != MailFault.SENDING_PAUSED;
    }

    @Override
    void answerFault(HttpExchange exchange, MailFault fault) throws IOException {
        switch (fault) {
            case THROTTLED -> errors(exchange, 429, error("too many requests", null));
            case SERVER_ERROR -> errors(exchange, 500, error("internal server error", null));
            case ACCESS_DENIED -> errors(exchange, 403, error("access forbidden", null));
            case UNREADABLE_ANSWER -> send(exchange, 502, "text/html",
                    "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalStateException(fault.name());
        }
    }

    @Override
    void answerTooLarge(HttpExchange exchange) throws IOException {
        send(exchange, 413, "text/html", NGINX_413.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    void answer(HttpExchange exchange, byte[] body) throws IOException {
        if (!exchange.getRequestURI().getRawPath().equals(PATH)) {
            errors(exchange, 404, error("not found", null));
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            errors(exchange, 405, error("method not allowed", null));
            return;
        }
        if (!("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            errors(exchange, 401, error("authorization required", null));
            return;
        }
        if (body.length >= maxBytes) {
            answerTooLarge(exchange);
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            errors(exchange, 400, error("Bad Request", null));
            return;
        }
        List<ObjectNode> problems = new ArrayList<>();
        CapturedEmail email = check(request, problems);
        if (!problems.isEmpty()) {
            errors(exchange, 400, problems.toArray(ObjectNode[]::new));
            return;
        }
        if (!isVerified(email.fromAddress())) {
            errors(exchange, 403, error("The from address does not match a verified Sender Identity. Mail cannot be sent"
                    + " until this error is resolved. Visit https://sendgrid.com/docs/for-developers/sending-email/sender-identity/"
                    + " to see the Sender Identity requirements", "from"));
            return;
        }
        capture(email);
        exchange.getResponseHeaders().set("X-Message-Id", email.id());
        send(exchange, 202, "text/plain; charset=utf-8", new byte[0]);
    }

    /** The email the request describes; what is wrong with it goes into {@code problems}. */
    private CapturedEmail check(JsonNode request, List<ObjectNode> problems) {
        JsonNode personalizations = request.path("personalizations");
        List<String> to = new ArrayList<>();
        List<String> cc = new ArrayList<>();
        List<String> bcc = new ArrayList<>();
        boolean everyHasSubject = personalizations.size() > 0;
        if (!personalizations.isArray() || personalizations.size() == 0 || personalizations.size() > 1000) {
            problems.add(error("The personalizations field is required and must have at least one personalization.",
                    "personalizations"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < personalizations.size(); i++) {
                JsonNode personalization = personalizations.get(i);
                String at = "personalizations." + i;
                if (!personalization.path("to").isArray() || personalization.path("to").size() == 0) {
                    problems.add(error("The to array is required for all personalization objects, and must have at least one"
                            + " email object with a valid email address.", at + ".to"));
                }
                recipients(personalization.path("to"), at + ".to", to, seen, problems);
                recipients(personalization.path("cc"), at + ".cc", cc, seen, problems);
                recipients(personalization.path("bcc"), at + ".bcc", bcc, seen, problems);
                everyHasSubject &= personalization.path("subject").asText("").length() > 0;
            }
            if (to.size() + cc.size() + bcc.size() > 1000) {
                problems.add(error("The total number of recipients must be no more than 1000.", "personalizations"));
            }
        }
        JsonNode from = request.path("from");
        String fromAddress = from.path("email").asText("");
        if (!from.isObject()) {
            problems.add(error("The from object must be provided for every email send. It is an object that requires the"
                    + " email parameter, but may also contain a name parameter.", "from"));
        } else if (!ADDRESS.matcher(fromAddress).matches()) {
            problems.add(error("The from email does not contain a valid address.", "from.email"));
        }
        String subject = request.path("subject").isTextual() ? request.get("subject").asText() : null;
        if ((subject == null || subject.isEmpty()) && !everyHasSubject) {
            problems.add(error("The subject is required. You can get around this requirement if you use a template with a"
                    + " subject defined or if every personalization has a subject defined.", "subject"));
        }
        if (subject == null && everyHasSubject) {
            subject = personalizations.get(0).path("subject").asText();
        }

        String text = null;
        String html = null;
        JsonNode content = request.path("content");
        if (!content.isArray() || content.size() == 0) {
            problems.add(error("Unless a valid template_id is provided, the content parameter is required. There must be at"
                    + " least one defined content block. We typically suggest both text/plain and text/html blocks are"
                    + " included, but only one block is required.", "content"));
        } else {
            for (int i = 0; i < content.size(); i++) {
                JsonNode block = content.get(i);
                String type = block.path("type").asText("");
                if (!block.path("value").isTextual() || block.get("value").asText().isEmpty()) {
                    problems.add(error("The content value must be a string at least one character in length.",
                            "content." + i + ".value"));
                }
                if (type.isEmpty()) {
                    problems.add(error("The content type must be provided.", "content." + i + ".type"));
                }
                String value = block.path("value").asText("");
                if (type.equals("text/plain")) {
                    if (text != null || i != 0) {
                        problems.add(error(text != null ? "If present, text/plain and text/html may only be provided once."
                                : "The text/plain content type must be first, before text/html or any other content type.",
                                "content." + i + ".type"));
                    }
                    text = value;
                } else if (type.equals("text/html")) {
                    if (html != null) {
                        problems.add(error("If present, text/plain and text/html may only be provided once.",
                                "content." + i + ".type"));
                    }
                    html = value;
                }
            }
        }
        List<CapturedEmail.Attachment> attachments = attachments(request.path("attachments"), problems);
        return new CapturedEmail(messageId(), Instant.now(), "sendgrid", fromAddress,
                from.path("name").isTextual() ? from.get("name").asText() : null, to, cc, bcc, subject == null ? "" : subject,
                html, text, attachments);
    }

    private static void recipients(JsonNode list, String field, List<String> into, Set<String> seen, List<ObjectNode> problems) {
        if (list.isMissingNode()) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            String email = list.get(i).path("email").asText("");
            if (!ADDRESS.matcher(email).matches()) {
                problems.add(error("Does not contain a valid address.", field + "." + i + ".email"));
            } else if (!seen.add(email.toLowerCase(Locale.ROOT))) {
                problems.add(error("Each email address in the personalization block should be unique between to, cc, and bcc."
                        + " We found the first duplicate instance of [" + email + "] in the personalizations." + field
                        .substring("personalizations.".length()) + " field.", field + "." + i + ".email"));
            } else {
                into.add(email);
            }
        }
    }

    private static List<CapturedEmail.Attachment> attachments(JsonNode list, List<ObjectNode> problems) {
        List<CapturedEmail.Attachment> attachments = new ArrayList<>();
        if (list.isMissingNode()) {
            return attachments;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode attachment = list.get(i);
            String at = "attachments." + i;
            byte[] content = null;
            if (!attachment.path("content").isTextual() || attachment.get("content").asText().isEmpty()) {
                problems.add(error("The attachment content is required.", at + ".content"));
            } else {
                try {
                    content = Base64.getDecoder().decode(attachment.get("content").asText());
                } catch (IllegalArgumentException e) {
                    problems.add(error("The attachment content must be base64 encoded.", at + ".content"));
                }
            }
            String filename = attachment.path("filename").asText("");
            if (filename.isEmpty()) {
                problems.add(error("The attachment filename is required.", at + ".filename"));
            }
            String disposition = attachment.path("disposition").asText("attachment");
            if (!disposition.equals("attachment") && !disposition.equals("inline")) {
                problems.add(error("The disposition of your attachment can be either \"inline\" or \"attachment\".",
                        at + ".disposition"));
            }
            if (disposition.equals("inline") && attachment.path("content_id").asText("").isEmpty()) {
                problems.add(error("The content_id parameter is required if your attachment's disposition is inline.",
                        at + ".content_id"));
            }
            String type = attachment.path("type").asText(null);
            if (type != null && type.isEmpty()) {
                problems.add(error("The attachment type must be a string at least one character in length.", at + ".type"));
            }
            if (content != null) {
                attachments.add(new CapturedEmail.Attachment(filename, type, disposition, "base64",
                        attachment.path("content_id").asText(null), content));
            }
        }
        return attachments;
    }

    private boolean isVerified(String address) {
        String lower = address.toLowerCase(Locale.ROOT);
        return verified.contains(lower) || verified.contains(lower.substring(lower.indexOf('@') + 1));
    }

    /** 22 characters of URL-safe base64, as SendGrid's ids look. */
    private static String messageId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static ObjectNode error(String message, String field) {
        ObjectNode error = JSON.createObjectNode().put("message", message);
        if (field == null) {
            error.putNull("field");
        } else {
            error.put("field", field);
        }
        error.putNull("help");
        return error;
    }

    private static void errors(HttpExchange exchange, int status, ObjectNode... errors) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("errors");
        for (ObjectNode error : errors) {
            list.add(error);
        }
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }
}
