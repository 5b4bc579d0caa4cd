package com.flexwebchat.conversations.transcript;

import com.flexwebchat.shared.mail.Html;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The transcript written out, as HTML and as plain text, for the email's two parts. Every value
 * from the chat (names, messages, file names) is HTML-escaped in the HTML part, so a message that
 * holds markup shows it as text; times are in the configured time zone, which the document names.
 *
 * @param subject the email's subject
 * @param html    the HTML part
 * @param text    the plain-text part
 */
record TranscriptDocument(String subject, String html, String text) {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);

    /** A file of the chat that is not attached, and why (too large, over the email's total, unreadable). */
    record LeftOut(String filename, String why) {
    }

    /**
     * @param attached the attached files' names, as attached (made unique)
     * @param leftOut  the files that are not attached
     */
    static TranscriptDocument of(Transcript transcript, ZoneId zone, String subject, List<String> attached,
                                 List<LeftOut> leftOut) {
        Instant started = transcript.started();
        String date = started == null ? "" : DATE.format(started.atZone(zone));
        String with = transcript.agentNames().isEmpty() ? "" : String.join(", ", transcript.agentNames());
        String zoneName = zone.getId();

        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").append(escape(subject))
                .append("</title></head><body style=\"font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#222\">");
        html.append("<h1 style=\"font-size:20px\">").append(escape(subject)).append("</h1>");
        html.append("<p>Hello ").append(escape(transcript.visitorName())).append(",<br>here is the transcript of your chat");
        if (!with.isEmpty()) {
            html.append(" with <strong>").append(escape(with)).append("</strong>");
        }
        if (!date.isEmpty()) {
            html.append(" on ").append(escape(date));
        }
        html.append(". Times are in ").append(escape(zoneName)).append(".</p>");
        html.append("<table style=\"border-collapse:collapse\">");
        StringBuilder text = new StringBuilder(2048);
        text.append(subject).append("\n\nHello ").append(transcript.visitorName()).append(",\nhere is the transcript of your chat");
        if (!with.isEmpty()) {
            text.append(" with ").append(with);
        }
        if (!date.isEmpty()) {
            text.append(" on ").append(date);
        }
        text.append(". Times are in ").append(zoneName).append(".\n\n");

        for (Transcript.Line line : transcript.lines()) {
            String time = line.sent() == null ? "--:--" : TIME.format(line.sent().atZone(zone));
            html.append("<tr><td style=\"vertical-align:top;padding:4px 8px;color:#666\">").append(time)
                    .append("</td><td style=\"vertical-align:top;padding:4px 8px\"><strong>").append(escape(line.author()))
                    .append("</strong></td><td style=\"vertical-align:top;padding:4px 8px\">")
                    .append(escape(line.text()).replace("\n", "<br>"));
            text.append(time).append("  ").append(line.author()).append(": ").append(line.text());
            for (Transcript.File file : line.files()) {
                html.append(line.text().isEmpty() ? "" : "<br>").append("<em>(file: ").append(escape(file.filename())).append(")</em>");
                text.append(line.text().isEmpty() ? "" : " ").append("(file: ").append(file.filename()).append(")");
            }
            html.append("</td></tr>");
            text.append('\n');
        }
        html.append("</table>");
        if (!attached.isEmpty()) {
            html.append("<p>Attached: ").append(escape(String.join(", ", attached))).append(".</p>");
            text.append("\nAttached: ").append(String.join(", ", attached)).append(".\n");
        }
        if (!leftOut.isEmpty()) {
            html.append("<p>Not attached:</p><ul>");
            text.append("\nNot attached:\n");
            for (LeftOut file : leftOut) {
                html.append("<li>").append(escape(file.filename())).append(" (").append(escape(file.why())).append(")</li>");
                text.append("- ").append(file.filename()).append(" (").append(file.why()).append(")\n");
            }
            html.append("</ul>");
        }
        html.append("</body></html>");
        return new TranscriptDocument(subject, html.toString(), text.toString());
    }

    static String escape(String value) {
        return Html.escape(value);
    }
}
