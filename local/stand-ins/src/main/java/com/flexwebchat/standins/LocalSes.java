package com.flexwebchat.standins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Amazon SES API v2 {@code SendEmail} on 127.0.0.1, checking a request as SES does and keeping each email it
 * accepts ({@link #captured()}) instead of sending it. The contract
 * (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SendEmail.html, the botocore sesv2 model, and
 * https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html for the wire shape):
 * <ul>
 *   <li>{@code POST /v2/email/outbound-emails}, anything else 404 {@code UnknownOperationException}.</li>
 *   <li>SigV4 with service {@code ses} and the configured Region, checked with {@link SigV4Verifier} against the
 *       credentials it was told of ({@link #acceptCredentials}): none 403 {@code MissingAuthenticationTokenException},
 *       an unknown key 403 {@code UnrecognizedClientException}, a wrong signature 403 {@code InvalidSignatureException}.</li>
 *   <li>A JSON object with exactly one of {@code Content.Simple}, {@code Raw}, {@code Template}; Simple with
 *       {@code Subject.Data} and a {@code Body} of Html and/or Text; at least one and at most 50 recipients; each
 *       address well-formed, 7-bit (SES has no SMTPUTF8; a domain in punycode); attachments with a FileName of at most
 *       255 characters, base64 {@code RawContent}, ContentType of 1-78 characters, the enums
 *       {@code ContentDisposition} ATTACHMENT|INLINE and {@code ContentTransferEncoding} BASE64|QUOTED_PRINTABLE|SEVEN_BIT
 *       (default SEVEN_BIT, https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_Attachment.html). Otherwise
 *       400 {@code BadRequestException}. Raw and Template are SES's, but this stand-in takes Simple only (400, saying so).</li>
 *   <li>A {@code FromEmailAddress} whose address or domain is not a verified identity ({@link #verify}), or in the
 *       sandbox ({@link #sandbox}) a recipient that is not: 400 {@code MessageRejected} "Email address is not verified.
 *       The following identities failed the check in region REGION: ...". A file type SES refuses
 *       (https://docs.aws.amazon.com/ses/latest/dg/attachments.html, "Unsupported attachment types"), or a message over
 *       40 MB once MIME-encoded (https://docs.aws.amazon.com/ses/latest/dg/quotas.html): 400 {@code MessageRejected}
 *       too (the docs do not name the error code for either; this is the code SES v1 used for both).</li>
 *   <li>An error answer carries its type in {@code x-amzn-ErrorType}, with the {@code :http://internal.amazon.com/...}
 *       suffix SES's Coral front end adds, and {@code {"message": ...}}; success is 200 {@code {"MessageId": ...}}.
 *       Both carry {@code x-amzn-RequestId}.</li>
 * </ul>
 * Faults for tests: {@link #failNext}.
 */
public final class LocalSes extends MailStandIn {

    public static final String PATH = "/v2/email/outbound-emails";
    /** SES v2's limit on a message, after MIME encoding, not adjustable (https://docs.aws.amazon.com/ses/latest/dg/quotas.html). */
    public static final long MAX_MESSAGE_BYTES = 40L * 1024 * 1024;
    static final int MAX_RECIPIENTS = 50;
    /** "Unsupported attachment types", https://docs.aws.amazon.com/ses/latest/dg/attachments.html. */
    static final Set<String> UNSUPPORTED_EXTENSIONS = Set.of("ade", "adp", "app", "asp", "bas", "bat", "cer", "chm", "cmd",
            "com", "cpl", "crt", "csh", "der", "exe", "fxp", "gadget", "hlp", "hta", "inf", "ins", "isp", "its", "js", "jse",
            "ksh", "lib", "lnk", "mad", "maf", "mag", "mam", "maq", "mar", "mas", "mat", "mau", "mav", "maw", "mda", "mdb",
            "mde", "mdt", "mdw", "mdz", "msc", "msh", "msh1", "msh2", "mshxml", "msh1xml", "msh2xml", "msi", "msp", "mst",
            "ops", "pcd", "pif", "plg", "prf", "prg", "reg", "scf", "scr", "sct", "shb", "shs", "sys", "ps1", "ps1xml", "ps2",
            "ps2xml", "psc1", "psc2", "tmp", "url", "vb", "vbe", "vbs", "vps", "vsmacros", "vss", "vst", "vsw", "vxd", "ws",
            "wsc", "wsf", "wsh", "xnk");
    /** A 7-bit address: a dot-atom local part, a domain of LDH labels (https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2). */
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
                    + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern NAMED = Pattern.compile("\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^<\"]*?))\\s*<([^<>]*)>\\s*");
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=");
    private static final String CORAL = ":http://internal.amazon.com/coral/com.amazonaws.sesv2/";

    private final String region;
    private final Map<String, String> credentials = new ConcurrentHashMap<>();
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private volatile boolean sandbox;
    private volatile long maxMessageBytes = MAX_MESSAGE_BYTES;

    private LocalSes(String region) {
        super("local-ses");
        this.region = region;
    }

    /** SES of {@code region} on a free port of 127.0.0.1, outside the sandbox, with no identity verified and no credentials known. */
    public static LocalSes start(String region) {
        return new LocalSes(region);
    }

    public String region() {
        return region;
    }

    /** Requests signed with this key pair are accepted (as IAM knows the function's role). */
    public LocalSes acceptCredentials(String accessKeyId, String secretAccessKey) {
        credentials.put(accessKeyId, secretAccessKey);
        return this;
    }

    /** Verifies an identity: an address ({@code transcripts@example.com}) or a whole domain ({@code example.com}). */
    public LocalSes verify(String identity) {
        verified.add(identity.toLowerCase(Locale.ROOT));
        return this;
    }

    /** In the sandbox every recipient must be a verified identity too (or SES's mailbox simulator). */
    public LocalSes sandbox(boolean on) {
        this.sandbox = on;
        return this;
    }

    /** Another limit than SES's 40 MB, so tests need not build 40 MB messages. */
    public LocalSes maxMessageBytes(long bytes) {
        this.maxMessageBytes = bytes;
        return this;
    }

    /** What a function needs to send through this stand-in (the credentials it signs with are its own). */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", region);
        env.put("AWS_ENDPOINT_URL_SESV2", url());
        return env;
    }

    @Override
    boolean supports(MailFault fault) {
        return true;
    }

    @Override
    void answerFault(HttpExchange exchange, MailFault fault) throws IOException {
        switch (fault) {
            case THROTTLED -> error(exchange, 429, "TooManyRequestsException", "Maximum sending rate exceeded.");
            case SERVER_ERROR -> error(exchange, 500, "InternalFailure", "The request processing has failed because of an"
                    + " unknown error, exception or failure.");
            case SENDING_PAUSED -> error(exchange, 400, "SendingPausedException", "Sending is paused for this account.");
            case ACCESS_DENIED -> error(exchange, 403, "AccessDeniedException", "User is not authorized to perform:"
                    + " ses:SendEmail");
            case UNREADABLE_ANSWER -> send(exchange, 200, "text/html",
                    "<html><body>Service Unavailable</body></html>".getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalStateException(fault.name());
        }
    }

    @Override
    void answerTooLarge(HttpExchange exchange) throws IOException {
        error(exchange, 400, "MessageRejected", "Message length is more than " + maxMessageBytes + " bytes long.");
    }

    @Override
    void answer(HttpExchange exchange, byte[] body) throws IOException {
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getRawPath().equals(PATH)
                || exchange.getRequestURI().getRawQuery() != null) {
            error(exchange, 404, "UnknownOperationException", null);
            return;
        }
        var headers = exchange.getRequestHeaders();
        if (headers.getFirst("Authorization") == null) {
            error(exchange, 403, "MissingAuthenticationTokenException", "Missing Authentication Token");
            return;
        }
        String accessKeyId = SigV4Verifier.accessKeyId(headers);
        if (accessKeyId != null && !credentials.containsKey(accessKeyId)) {
            error(exchange, 403, "UnrecognizedClientException", "The security token included in the request is invalid.");
            return;
        }
        String problem = SigV4Verifier.problem("POST", PATH, headers, body, region, "ses", credentials::get);
        if (problem != null) {
            error(exchange, 403, "InvalidSignatureException", problem);
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            error(exchange, 400, "BadRequestException", "Could not parse the request body as JSON.");
            return;
        }
        try {
            CapturedEmail email = check(request == null ? JSON.createObjectNode() : request);
            capture(email);
            ObjectNode answer = JSON.createObjectNode().put("MessageId", email.id());
            exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(answer));
        } catch (Refusal refusal) {
            error(exchange, 400, refusal.type, refusal.getMessage());
        }
    }

    /** A 400 SES would answer. */
    private static final class Refusal extends Exception {
        final String type;

        Refusal(String type, String message) {
            super(message, null, false, false);
            this.type = type;
        }

        static Refusal badRequest(String message) {
            return new Refusal("BadRequestException", message);
        }
    }

    private CapturedEmail check(JsonNode request) throws Refusal {
        if (!request.isObject()) {
            throw Refusal.badRequest("The request body must be a JSON object.");
        }
        JsonNode content = request.path("Content");
        int kinds = (content.has("Simple") ? 1 : 0) + (content.has("Raw") ? 1 : 0) + (content.has("Template") ? 1 : 0);
        if (!content.isObject() || kinds != 1) {
            throw Refusal.badRequest("Content must have exactly one of Simple, Raw or Template.");
        }
        if (!content.has("Simple")) {
            throw Refusal.badRequest("LocalSes takes Content.Simple only (SES itself takes Raw and Template too).");
        }
        JsonNode simple = content.get("Simple");
        String subject = data(simple.path("Subject"), "Subject");
        JsonNode body = simple.path("Body");
        String html = body.has("Html") ? data(body.get("Html"), "Body.Html") : null;
        String text = body.has("Text") ? data(body.get("Text"), "Body.Text") : null;
        if (!body.isObject() || (html == null && text == null)) {
            throw Refusal.badRequest("Body must have Html or Text.");
        }
        if (simple.path("Headers").size() > 15) {
            throw Refusal.badRequest("Headers may have at most 15 entries.");
        }

        String fromEmail = request.path("FromEmailAddress").asText("");
        if (fromEmail.isEmpty()) {
            throw Refusal.badRequest("FromEmailAddress is required with Content.Simple.");
        }
        String[] from = mailbox(fromEmail);
        JsonNode destination = request.path("Destination");
        List<String> to = addresses(destination.path("ToAddresses"));
        List<String> cc = addresses(destination.path("CcAddresses"));
        List<String> bcc = addresses(destination.path("BccAddresses"));
        int recipients = to.size() + cc.size() + bcc.size();
        if (recipients == 0) {
            throw Refusal.badRequest("Destination must have at least one address.");
        }
        if (recipients > MAX_RECIPIENTS) {
            throw Refusal.badRequest("Recipient count exceeds " + MAX_RECIPIENTS + ".");
        }
        List<CapturedEmail.Attachment> attachments = attachments(simple.path("Attachments"));

        List<String> unverified = new ArrayList<>();
        if (!isVerified(from[1])) {
            unverified.add(from[1]);
        }
        if (sandbox) {
            for (List<String> list : List.of(to, cc, bcc)) {
                for (String recipient : list) {
                    String address = mailbox(recipient)[1];
                    if (!isVerified(address) && !address.toLowerCase(Locale.ROOT).endsWith("@simulator.amazonses.com")) {
                        unverified.add(address);
                    }
                }
            }
        }
        if (!unverified.isEmpty()) {
            throw new Refusal("MessageRejected", "Email address is not verified. The following identities failed the check in"
                    + " region " + region.toUpperCase(Locale.ROOT) + ": " + String.join(", ", unverified));
        }
        for (CapturedEmail.Attachment attachment : attachments) {
            String name = attachment.filename();
            String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT) : "";
            if (UNSUPPORTED_EXTENSIONS.contains(extension)) {
                throw new Refusal("MessageRejected", "Attachments with the ." + extension + " extension are not supported.");
            }
        }
        CapturedEmail email = new CapturedEmail(messageId(), Instant.now(), "ses", from[1], from[0], to, cc, bcc, subject, html,
                text, attachments);
        long size = email.toEml().length;
        if (size > maxMessageBytes) {
            throw new Refusal("MessageRejected", "Message length is more than " + maxMessageBytes + " bytes long: '" + size + "'.");
        }
        return email;
    }

    /** A Content's {@code Data}, with its {@code Charset} (optional) one the JDK knows. */
    private static String data(JsonNode content, String what) throws Refusal {
        if (!content.isObject() || !content.path("Data").isTextual()) {
            throw Refusal.badRequest(what + ".Data is required.");
        }
        JsonNode charset = content.path("Charset");
        if (!charset.isMissingNode()) {
            boolean known;
            try {
                known = charset.isTextual() && Charset.isSupported(charset.asText());
            } catch (IllegalArgumentException e) {
                known = false;
            }
            if (!known) {
                throw Refusal.badRequest("Unknown charset for " + what + ": " + charset.asText());
            }
        }
        return content.get("Data").asText();
    }

    private static List<String> addresses(JsonNode list) throws Refusal {
        if (list.isMissingNode()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw Refusal.badRequest("Destination's address lists must be arrays.");
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode address : list) {
            mailbox(address.asText());
            addresses.add(address.asText());
        }
        return addresses;
    }

    /** {display name or null, address} of {@code address} or {@code Name <address>}; the name's encoded-words decoded. */
    private static String[] mailbox(String value) throws Refusal {
        String name = null;
        String address = value.strip();
        Matcher named = NAMED.matcher(value);
        if (named.matches()) {
            name = named.group(1) != null ? named.group(1).replaceAll("\\\\(.)", "$1") : decodeWords(named.group(2).strip());
            address = named.group(3).strip();
        }
        if (!ADDRESS.matcher(address).matches() || address.length() > 320) {
            throw Refusal.badRequest("Invalid email address " + address + ".");
        }
        return new String[] {name == null || name.isEmpty() ? null : name, address};
    }

    /** RFC 2047 encoded-words ({@code =?UTF-8?B?...?=}, {@code ?Q?}) decoded; whitespace between two of them dropped. */
    static String decodeWords(String text) {
        Matcher word = ENCODED_WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        int at = 0;
        boolean lastWasWord = false;
        while (word.find()) {
            String between = text.substring(at, word.start());
            if (!(lastWasWord && between.isBlank())) {
                out.append(between);
            }
            Charset charset;
            try {
                charset = Charset.forName(word.group(1));
            } catch (IllegalArgumentException e) {
                charset = StandardCharsets.UTF_8;
            }
            byte[] bytes;
            if (word.group(2).equalsIgnoreCase("B")) {
                try {
                    bytes = Base64.getDecoder().decode(word.group(3));
                } catch (IllegalArgumentException e) {
                    bytes = word.group().getBytes(StandardCharsets.US_ASCII);
                }
            } else {
                bytes = qDecode(word.group(3));
            }
            out.append(new String(bytes, charset));
            at = word.end();
            lastWasWord = true;
        }
        return out.append(text.substring(at)).toString();
    }

    private static byte[] qDecode(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < text.length()) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static List<CapturedEmail.Attachment> attachments(JsonNode list) throws Refusal {
        if (list.isMissingNode()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw Refusal.badRequest("Attachments must be an array.");
        }
        List<CapturedEmail.Attachment> attachments = new ArrayList<>();
        for (JsonNode attachment : list) {
            String fileName = attachment.path("FileName").asText("");
            if (!attachment.path("FileName").isTextual() || fileName.isEmpty() || fileName.length() > 255) {
                throw Refusal.badRequest("Attachment FileName is required, of at most 255 characters.");
            }
            byte[] content;
            try {
                content = Base64.getDecoder().decode(attachment.path("RawContent").asText(""));
            } catch (IllegalArgumentException e) {
                content = null;
            }
            if (!attachment.path("RawContent").isTextual() || content == null) {
                throw Refusal.badRequest("Attachment RawContent is required, as base64.");
            }
            String contentType = attachment.has("ContentType") ? attachment.get("ContentType").asText() : null;
            if (contentType != null && (contentType.isEmpty() || contentType.length() > 78)) {
                throw Refusal.badRequest("Attachment ContentType must have 1 to 78 characters.");
            }
            if (contentType == null) {
                // "If you don't specify a content type, Amazon SES determines it from the file name extension."
                contentType = URLConnection.guessContentTypeFromName(fileName);
            }
            String disposition = attachment.path("ContentDisposition").asText("ATTACHMENT");
            if (!Set.of("ATTACHMENT", "INLINE").contains(disposition)) {
                throw Refusal.badRequest("Attachment ContentDisposition must be ATTACHMENT or INLINE.");
            }
            String encoding = attachment.path("ContentTransferEncoding").asText("SEVEN_BIT");
            String transfer = switch (encoding) {
                case "BASE64" -> "base64";
                case "QUOTED_PRINTABLE" -> "quoted-printable";
                case "SEVEN_BIT" -> "7bit";
                default -> throw Refusal.badRequest("Attachment ContentTransferEncoding must be BASE64, QUOTED_PRINTABLE or SEVEN_BIT.");
            };
            String contentId = attachment.has("ContentId") ? attachment.get("ContentId").asText() : null;
            if (contentId != null && (contentId.isEmpty() || contentId.length() > 78)) {
                throw Refusal.badRequest("Attachment ContentId must have 1 to 78 characters.");
            }
            if (attachment.path("ContentDescription").asText("").length() > 1000) {
                throw Refusal.badRequest("Attachment ContentDescription may have at most 1000 characters.");
            }
            attachments.add(new CapturedEmail.Attachment(fileName, contentType, disposition.toLowerCase(Locale.ROOT), transfer,
                    contentId, content));
        }
        return attachments;
    }

    private boolean isVerified(String address) {
        String lower = address.toLowerCase(Locale.ROOT);
        return verified.contains(lower) || verified.contains(lower.substring(lower.indexOf('@') + 1));
    }

    /** As SES's look: {@code 0100} and the time in hex, a UUID, {@code -000000}. */
    private static String messageId() {
        return String.format("0100%012x-%s-000000", System.currentTimeMillis(), UUID.randomUUID());
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type + CORAL);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        ObjectNode body = JSON.createObjectNode();
        if (message == null) {
            body.putNull("message");
        } else {
            body.put("message", message);
        }
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }
}
