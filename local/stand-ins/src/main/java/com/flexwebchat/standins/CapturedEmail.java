package com.flexwebchat.standins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An email a mail stand-in ({@link LocalSes}, {@link LocalSendGrid}) accepted, as the recipient would get it, and
 * as an RFC 5322 message ({@link #toEml()}): {@code multipart/mixed} holding the body (the HTML; or
 * {@code multipart/alternative} of the text then the HTML when both were sent) and then each attachment, in
 * base64 unless SES was asked for another transfer encoding.
 *
 * @param id          the provider's message id, as it answered it
 * @param provider    {@code ses} or {@code sendgrid}
 * @param fromName    the sender's display name, decoded, or null
 * @param to          the recipients the provider would deliver to as To (Cc and Bcc likewise)
 * @param html        the HTML body, or null
 * @param text        the plain-text body, or null
 */
public record CapturedEmail(String id, Instant receivedAt, String provider, String fromAddress, String fromName,
                            List<String> to, List<String> cc, List<String> bcc, String subject, String html, String text,
                            List<Attachment> attachments) {

    /**
     * @param disposition       {@code attachment} or {@code inline}
     * @param transferEncoding  how it travels in the message: {@code base64}, {@code quoted-printable} or {@code 7bit}
     * @param contentId         for an inline one, or null
     */
    public record Attachment(String filename, String contentType, String disposition, String transferEncoding,
                             String contentId, byte[] content) {
    }

    /** A MIME type we can write as it is: {@code type/subtype} tokens, maybe with parameters. */
    private static final Pattern MIME_TYPE = Pattern.compile(
            "[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\\s*;\\s*[A-Za-z0-9!#$&^_.+-]+=(\"[\\x20-\\x21\\x23-\\x7e]*\"|[A-Za-z0-9!#$&^_.+-]+))*");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    public CapturedEmail {
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        attachments = List.copyOf(attachments);
    }

    /** The message as an .eml file holds it: CRLF line ends, 7-bit but for a 7bit attachment SES was asked to send as is. */
    public byte[] toEml() {
        StringBuilder eml = new StringBuilder();
        eml.append(Mime.header("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(receivedAt.atZone(ZoneOffset.UTC))));
        eml.append(Mime.header("From", Mime.mailbox(fromName, fromAddress)));
        if (!to.isEmpty()) {
            eml.append(Mime.header("To", String.join(", ", to)));
        }
        if (!cc.isEmpty()) {
            eml.append(Mime.header("Cc", String.join(", ", cc)));
        }
        eml.append(Mime.header("Subject", subject));
        eml.append(Mime.header("Message-ID", "<" + id + "@" + provider + ".localhost>"));
        eml.append("MIME-Version: 1.0").append(Mime.CRLF);
        String mixed = boundary("mixed");
        eml.append("Content-Type: multipart/mixed;").append(Mime.CRLF).append(" boundary=\"").append(mixed).append('"')
                .append(Mime.CRLF).append(Mime.CRLF);
        eml.append("This is a multi-part message in MIME format.").append(Mime.CRLF);

        eml.append("--").append(mixed).append(Mime.CRLF);
        if (html != null && text != null) {
            String alternative = boundary("alternative");
            eml.append("Content-Type: multipart/alternative;").append(Mime.CRLF).append(" boundary=\"").append(alternative)
                    .append('"').append(Mime.CRLF).append(Mime.CRLF);
            eml.append("--").append(alternative).append(Mime.CRLF).append(textPart("text/plain", text));
            eml.append("--").append(alternative).append(Mime.CRLF).append(textPart("text/html", html));
            eml.append("--").append(alternative).append("--").append(Mime.CRLF);
        } else {
            eml.append(html != null ? textPart("text/html", html) : textPart("text/plain", text == null ? "" : text));
        }
        for (Attachment attachment : attachments) {
            eml.append("--").append(mixed).append(Mime.CRLF).append(attachmentPart(attachment));
        }
        eml.append("--").append(mixed).append("--").append(Mime.CRLF);
        return eml.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes {@link #toEml()} into {@code folder} (created when missing) as {@code <time>-<id>.eml}, and answers the file. */
    public Path writeEml(Path folder) {
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve(FILE_TIME.format(receivedAt) + "-" + id.replaceAll("[^A-Za-z0-9-]", "_") + ".eml");
            Files.write(file, toEml());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the captured email into " + folder, e);
        }
    }

    /** The attachments' bytes together. */
    public long attachmentBytes() {
        return attachments.stream().mapToLong(a -> a.content().length).sum();
    }

    private static String textPart(String type, String body) {
        return "Content-Type: " + type + "; charset=UTF-8" + Mime.CRLF
                + "Content-Transfer-Encoding: base64" + Mime.CRLF + Mime.CRLF
                + Mime.base64Lines(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String attachmentPart(Attachment attachment) {
        String type = attachment.contentType() != null && MIME_TYPE.matcher(attachment.contentType()).matches()
                ? attachment.contentType() : "application/octet-stream";
        StringBuilder part = new StringBuilder();
        part.append("Content-Type: ").append(type).append(Mime.parameter("name", attachment.filename())).append(Mime.CRLF);
        part.append("Content-Disposition: ").append(attachment.disposition())
                .append(Mime.parameter("filename", attachment.filename())).append(Mime.CRLF);
        if (attachment.contentId() != null) {
            part.append(Mime.header("Content-ID", "<" + attachment.contentId().replaceAll("[<>\\s]", "") + ">"));
        }
        String encoding = attachment.transferEncoding().toLowerCase(Locale.ROOT);
        part.append("Content-Transfer-Encoding: ").append(encoding).append(Mime.CRLF).append(Mime.CRLF);
        part.append(switch (encoding) {
            case "quoted-printable" -> Mime.quotedPrintable(attachment.content());
            case "7bit" -> Mime.raw(attachment.content());
            default -> Mime.base64Lines(attachment.content());
        });
        return part.toString();
    }

    private static String boundary(String kind) {
        return "=_" + kind + "_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Only sizes: what a test failure message may print. */
    @Override
    public String toString() {
        return "CapturedEmail[" + provider + " " + id + ", " + attachments.size() + " attachments]";
    }
}
