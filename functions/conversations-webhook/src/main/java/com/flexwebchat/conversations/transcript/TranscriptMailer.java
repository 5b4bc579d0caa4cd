package com.flexwebchat.conversations.transcript;

import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.config.Transcripts;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.mail.Email;
import com.flexwebchat.shared.mail.Mailer;
import com.flexwebchat.shared.mail.SentEmail;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.twilio.ConversationMedia;
import com.flexwebchat.shared.twilio.MediaContent;
import com.flexwebchat.shared.twilio.TwilioFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends one chat's transcript to one address: reads it ({@link TranscriptReader}), attaches the
 * chat's own files from Twilio's Media API ({@link ConversationMedia}, never a URL from a request)
 * up to TRANSCRIPT_MAX_ATTACHMENT_BYTES together, writes it out ({@link TranscriptDocument}) and
 * mails it. A file that does not fit, cannot be read, or would leave too little of the function's
 * time for sending is listed in the email as not attached. Callers decide who may get what; this
 * only sends.
 */
final class TranscriptMailer {

    /**
     * Kept for the email itself once the files are fetched: a provider takes the send within a
     * second (the webhook has 4 s in all); a file that would eat into it is listed as not fetched.
     */
    static final Duration FOR_SENDING = Duration.ofSeconds(1);
    /**
     * Kept back from the whole send for what follows a failure: giving the counts back (and the
     * chat-end claim), so that a Twilio read that never answered does not leave the retry over its
     * limit (the fault campaign's no-answer cases did).
     */
    static final Duration FOR_THE_STORE = Duration.ofMillis(300);

    private final TranscriptReader reader;
    private final ConversationMedia media;
    private final Mailer mailer;
    private final Email.Address sender;
    private final Transcripts settings;
    private final String chatServiceSid;

    TranscriptMailer(TranscriptReader reader, ConversationMedia media, Mailer mailer, Email.Address sender, Transcripts settings,
                     String chatServiceSid) {
        this.reader = reader;
        this.media = media;
        this.mailer = mailer;
        this.sender = sender;
        this.settings = settings;
        this.chatServiceSid = chatServiceSid;
    }

    /**
     * @param visitorIdentity the visitor's identity when known, else null
     * @throws com.flexwebchat.shared.mail.MailFailure when the provider refused or did not answer
     */
    SentEmail send(Chat chat, String visitorIdentity, String address) {
        return Deadline.keepingBack(FOR_THE_STORE, () -> sendNow(chat, visitorIdentity, address));
    }

    private SentEmail sendNow(Chat chat, String visitorIdentity, String address) {
        Transcript read = reader.read(chat, visitorIdentity);
        // Each file named once, as attached: no path, nothing that breaks a header, repeats numbered.
        Map<Transcript.File, String> nameOf = new IdentityHashMap<>();
        Set<String> names = new HashSet<>();
        read.files().forEach(file -> nameOf.put(file, unique(safeFilename(file.filename()), names)));
        Transcript transcript = read.withFileNames(nameOf::get);
        List<Email.Attachment> attachments = new ArrayList<>();
        List<String> attached = new ArrayList<>();
        List<TranscriptDocument.LeftOut> leftOut = new ArrayList<>();
        long room = settings.maxAttachmentBytes();
        for (Transcript.File file : transcript.files()) {
            String name = file.filename();
            if (file.size() > room) {
                leftOut.add(new TranscriptDocument.LeftOut(name, tooLarge(file.size())));
                continue;
            }
            Deadline deadline = Deadline.current();
            if (deadline != null && deadline.remaining().compareTo(FOR_SENDING) < 0) {
                leftOut.add(new TranscriptDocument.LeftOut(name, "not fetched in time"));
                continue;
            }
            long limit = room;
            Optional<MediaContent> content;
            try {
                content = Deadline.keepingBack(FOR_SENDING, () -> media.fetch(chatServiceSid, file.mediaSid(), limit));
            } catch (TwilioFailure e) {
                Log.warn("A file of the chat could not be read; the transcript lists it as not attached",
                        "mediaSid", file.mediaSid(), "twilioStatus", e.twilioStatus(), "kind", e.kind().name());
                leftOut.add(new TranscriptDocument.LeftOut(name, "could not be read"));
                continue;
            }
            if (content.isEmpty()) {
                leftOut.add(new TranscriptDocument.LeftOut(name, "no longer at Twilio"));
            } else if (content.get().tooLarge()) {
                leftOut.add(new TranscriptDocument.LeftOut(name, tooLarge(content.get().size())));
            } else {
                byte[] bytes = content.get().bytes();
                room -= bytes.length;
                attachments.add(new Email.Attachment(name, contentType(file.contentType()), bytes));
                attached.add(name);
            }
        }
        TranscriptDocument document = TranscriptDocument.of(transcript, settings.timeZone(), settings.subject(), attached, leftOut);
        SentEmail sent = mailer.send(new Email(sender, address, document.subject(), document.html(), document.text(), attachments));
        Metrics.count(MetricName.TranscriptsSent);
        Log.info("Transcript sent", "messages", transcript.lines().size(), "files", attached.size(), "filesLeftOut", leftOut.size(),
                "attachmentBytes", attachments.stream().mapToLong(a -> a.content().length).sum(), "provider", sent.provider());
        return sent;
    }

    /** Why a file of {@code size} bytes did not fit: alone, or beside the files before it. */
    private String tooLarge(long size) {
        return size > settings.maxAttachmentBytes() ? "larger than an email takes" : "no room left in the email";
    }

    /** A file name fit for an attachment: no path, no control or quoting characters, at most 100 characters. */
    static String safeFilename(String filename) {
        String name = filename == null ? "" : filename;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        StringBuilder out = new StringBuilder();
        name.codePoints().forEach(cp -> out.appendCodePoint(
                Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT || "\"<>:|?*;".indexOf(cp) >= 0 ? '_' : cp));
        String safe = out.toString().strip();
        if (safe.isEmpty() || safe.chars().allMatch(c -> c == '.')) {
            safe = "file";
        }
        return safe.length() > 100 ? safe.substring(0, 100) : safe;
    }

    /** As the widget names repeated files: {@code a.png}, {@code a-1.png}, {@code a-2.png}. */
    static String unique(String name, Set<String> taken) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = 1; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = stem + "-" + n + extension;
        }
        return candidate;
    }

    /** The file's type as Twilio stored it, when it is one; else a plain byte stream. */
    static String contentType(String type) {
        return type != null && type.matches("[A-Za-z0-9!#$&^_.+-]{1,63}/[A-Za-z0-9!#$&^_.+-]{1,63}") ? type : "application/octet-stream";
    }
}
