package com.flexwebchat.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.mail.Html;
import com.flexwebchat.standins.CapturedEmail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local gateway's own pages of captured email ({@link LocalMail}), never a function's route:
 * <ul>
 *   <li>{@code GET /_local/mail}: every captured email, newest first, each linking to its page;</li>
 *   <li>{@code GET /_local/mail/<id>}: one email as its recipient would see it: the headers, the HTML body in a
 *       sandboxed iframe ({@code srcdoc}, {@code sandbox} without {@code allow-scripts} or {@code allow-same-origin}:
 *       no script runs, nothing reaches this origin), the text body, and the attachments;</li>
 *   <li>{@code GET /_local/mail/<id>/<n>}: attachment {@code n} (from 0), always as a download;</li>
 *   <li>{@code GET /_local/mail/<id>/message.eml}: the message as written to the folder;</li>
 *   <li>{@code GET /_local/mail.json}: the list with every field, for tests and scripts.</li>
 * </ul>
 * The HTML pages carry a Content-Security-Policy that allows no script, no fetch and no remote image (an email's
 * HTML is the visitor's chat, written by whoever chatted), and every value shown is escaped.
 */
final class MailPages {

    static final String PREFIX = "/_local/";
    private static final Pattern MESSAGE = Pattern.compile("/_local/mail/([A-Za-z0-9_-]{1,200})");
    private static final Pattern ATTACHMENT = Pattern.compile("/_local/mail/([A-Za-z0-9_-]{1,200})/(\\d{1,4})");
    private static final Pattern EML = Pattern.compile("/_local/mail/([A-Za-z0-9_-]{1,200})/message\\.eml");
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
            + " form-action 'none'";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalMail mail;

    MailPages(LocalMail mail) {
        this.mail = mail;
    }

    /** Whether the gateway answers {@code path} itself, whatever the template's routes. */
    static boolean owns(String path) {
        return path.startsWith(PREFIX) || path.equals("/_local");
    }

    GatewayServer.Response serve(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return new GatewayServer.Response(405, List.of(Map.entry("Allow", "GET, HEAD"),
                    Map.entry("Content-Type", "application/json")), "{\"message\":\"Method Not Allowed\"}".getBytes(StandardCharsets.UTF_8));
        }
        if (path.equals("/_local/mail.json")) {
            return json();
        }
        if (path.equals("/_local/mail") || path.equals("/_local/mail/")) {
            return index();
        }
        Matcher message = MESSAGE.matcher(path);
        if (message.matches()) {
            CapturedEmail email = mail.email(message.group(1));
            return email == null ? notFound() : page(email);
        }
        Matcher attachment = ATTACHMENT.matcher(path);
        if (attachment.matches()) {
            CapturedEmail email = mail.email(attachment.group(1));
            int n = Integer.parseInt(attachment.group(2));
            return email == null || n >= email.attachments().size() ? notFound() : download(email.attachments().get(n));
        }
        Matcher eml = EML.matcher(path);
        if (eml.matches()) {
            CapturedEmail email = mail.email(eml.group(1));
            return email == null ? notFound() : new GatewayServer.Response(200, List.of(
                    Map.entry("Content-Type", "message/rfc822"),
                    Map.entry("Content-Disposition", "attachment; filename=\"" + email.id() + ".eml\""),
                    Map.entry("X-Content-Type-Options", "nosniff")), email.toEml());
        }
        return notFound();
    }

    private GatewayServer.Response index() {
        StringBuilder html = new StringBuilder(head("Captured email"));
        html.append("<h1>Captured email</h1>");
        if (!mail.capturing()) {
            html.append("<p>This run does not capture email: ").append(escape(String.join(" ", mail.banner()))).append("</p>");
            return page(html);
        }
        html.append("<p>Each email is also in <code>").append(escape(mail.folder().toString()))
                .append("</code> as an .eml file. <a href=\"/_local/mail.json\">As JSON</a>.</p>");
        List<CapturedEmail> emails = mail.captured();
        if (emails.isEmpty()) {
            html.append("<p>None yet.</p>");
        } else {
            html.append("<table><tr><th>Received</th><th>From</th><th>To</th><th>Subject</th><th>Attachments</th></tr>");
            for (CapturedEmail email : emails) {
                html.append("<tr><td>").append(escape(TIME.format(email.receivedAt()))).append("</td><td>")
                        .append(escape(email.fromAddress())).append("</td><td>").append(escape(String.join(", ", email.to())))
                        .append("</td><td><a href=\"/_local/mail/").append(escape(email.id())).append("\">")
                        .append(escape(email.subject().isEmpty() ? "(no subject)" : email.subject())).append("</a></td><td>")
                        .append(email.attachments().size()).append("</td></tr>");
            }
            html.append("</table>");
        }
        return page(html);
    }

    private GatewayServer.Response page(CapturedEmail email) {
        StringBuilder html = new StringBuilder(head(email.subject()));
        html.append("<p><a href=\"/_local/mail\">All captured email</a></p>");
        html.append("<h1>").append(escape(email.subject())).append("</h1><table>");
        row(html, "From", email.fromName() == null ? email.fromAddress() : email.fromName() + " <" + email.fromAddress() + ">");
        row(html, "To", String.join(", ", email.to()));
        if (!email.cc().isEmpty()) {
            row(html, "Cc", String.join(", ", email.cc()));
        }
        if (!email.bcc().isEmpty()) {
            row(html, "Bcc", String.join(", ", email.bcc()));
        }
        row(html, "Date", TIME.format(email.receivedAt()));
        row(html, "Message id", email.id() + " (" + email.provider() + ")");
        Path file = mail.file(email.id());
        row(html, "File", file == null ? "not written" : file.toString());
        html.append("</table><p><a href=\"/_local/mail/").append(escape(email.id())).append("/message.eml\">message.eml</a></p>");
        if (email.html() != null) {
            html.append("<h2>HTML</h2><iframe sandbox title=\"The email's HTML\" srcdoc=\"").append(escape(email.html()))
                    .append("\"></iframe>");
        }
        if (email.text() != null) {
            html.append("<h2>Text</h2><pre>").append(escape(email.text())).append("</pre>");
        }
        html.append("<h2>Attachments</h2>");
        if (email.attachments().isEmpty()) {
            html.append("<p>None.</p>");
        } else {
            html.append("<ol start=\"0\">");
            for (int i = 0; i < email.attachments().size(); i++) {
                CapturedEmail.Attachment attachment = email.attachments().get(i);
                html.append("<li><a href=\"/_local/mail/").append(escape(email.id())).append('/').append(i).append("\">")
                        .append(escape(attachment.filename())).append("</a> (")
                        .append(escape(String.valueOf(attachment.contentType()))).append(", ")
                        .append(attachment.content().length).append(" bytes)</li>");
            }
            html.append("</ol>");
        }
        return page(html);
    }

    private GatewayServer.Response json() {
        ObjectNode body = JSON.createObjectNode();
        body.put("capturing", mail.capturing());
        body.put("folder", mail.folder() == null ? null : mail.folder().toString());
        ArrayNode messages = body.putArray("messages");
        for (CapturedEmail email : mail.captured()) {
            ObjectNode message = messages.addObject();
            message.put("id", email.id());
            message.put("url", "/_local/mail/" + email.id());
            message.put("provider", email.provider());
            message.put("receivedAt", email.receivedAt().toString());
            message.putObject("from").put("address", email.fromAddress()).put("name", email.fromName());
            message.set("to", JSON.valueToTree(email.to()));
            message.set("cc", JSON.valueToTree(email.cc()));
            message.set("bcc", JSON.valueToTree(email.bcc()));
            message.put("subject", email.subject());
            message.put("html", email.html());
            message.put("text", email.text());
            Path file = mail.file(email.id());
            message.put("file", file == null ? null : file.toString());
            ArrayNode attachments = message.putArray("attachments");
            for (int i = 0; i < email.attachments().size(); i++) {
                CapturedEmail.Attachment attachment = email.attachments().get(i);
                attachments.addObject().put("filename", attachment.filename()).put("contentType", attachment.contentType())
                        .put("disposition", attachment.disposition()).put("size", attachment.content().length)
                        .put("url", "/_local/mail/" + email.id() + "/" + i);
            }
        }
        try {
            return new GatewayServer.Response(200, List.of(Map.entry("Content-Type", "application/json"),
                    Map.entry("Cache-Control", "no-store")), JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Always a download, never shown in the browser: a captured file is whatever the chat carried. */
    private static GatewayServer.Response download(CapturedEmail.Attachment attachment) {
        String ascii = attachment.filename().replaceAll("[^A-Za-z0-9._ -]", "_");
        StringBuilder encoded = new StringBuilder();
        for (byte b : attachment.filename().getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            encoded.append(Character.isLetterOrDigit(c) && c < 0x80 || ".-_".indexOf(c) >= 0 ? String.valueOf((char) c)
                    : String.format("%%%02X", c));
        }
        return new GatewayServer.Response(200, List.of(
                Map.entry("Content-Type", "application/octet-stream"),
                Map.entry("Content-Disposition", "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded),
                Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("Content-Security-Policy", "sandbox"),
                Map.entry("Cache-Control", "no-store")), attachment.content());
    }

    private static GatewayServer.Response notFound() {
        return GatewayServer.Response.message(404, "Not Found");
    }

    private static String head(String title) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title><style>"
                + "body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
                + "iframe{width:100%;height:30em;border:1px solid #999}pre{white-space:pre-wrap;border:1px solid #ccc;padding:.5em}"
                + "</style></head><body>";
    }

    private static void row(StringBuilder html, String name, String value) {
        html.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>");
    }

    private static GatewayServer.Response page(StringBuilder html) {
        html.append("</body></html>");
        return new GatewayServer.Response(200, List.of(
                Map.entry("Content-Type", "text/html; charset=utf-8"),
                Map.entry("Content-Security-Policy", CSP),
                Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("X-Frame-Options", "DENY"),
                Map.entry("Referrer-Policy", "no-referrer"),
                Map.entry("Cache-Control", "no-store")), html.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Text and attribute values, as the transcript's HTML has them ({@link Html#escape}). */
    static String escape(String text) {
        return Html.escape(text);
    }
}
