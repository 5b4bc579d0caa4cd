package com.flexwebchat.emulator.mcs;

import com.flexwebchat.emulator.http.Sids;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file in the Media Content Service: uploaded to a service, then attached to (at most) one message.
 *
 * <p>The resource's properties are those the docs list (https://www.twilio.com/docs/conversations/api/media-resource:
 * {@code sid}, {@code account_sid}, {@code service_sid}, {@code date_created}, {@code date_updated},
 * {@code channel_sid}, {@code message_sid}, {@code size}, {@code content_type}, the file's name, {@code author},
 * {@code url}, {@code links}) as MCS renders them in answers public clients of it record: the name under
 * {@code filename} (the docs' table says {@code file_name}, the answers and every client say {@code filename}),
 * with {@code date_upload_updated}, {@code category} ({@code media}) and {@code is_multipart_upstream}, and
 * {@code url} and {@code links.content} as paths relative to the MCS host. Dates carry microseconds and an offset
 * ({@code 2022-03-14T13:10:38.897143-07:00} in those answers), unlike the REST API's whole seconds.
 */
public final class Media {

    /** Conversations' only media category; Programmable Chat also had {@code body} and {@code history}. */
    static final String CATEGORY = "media";
    private static final DateTimeFormatter MCS_DATE = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    final String sid = Sids.random("ME");
    final String accountSid;
    final String serviceSid;
    final String contentType;
    final String filename;
    final String author;
    final Instant dateCreated;
    private final byte[] content;
    private Instant dateUpdated;
    private String channelSid;
    private String messageSid;

    Media(String accountSid, String serviceSid, String contentType, String filename, String author, byte[] content,
          Instant now) {
        this.accountSid = accountSid;
        this.serviceSid = serviceSid;
        this.contentType = contentType;
        this.filename = filename;
        this.author = author;
        this.content = content.clone();
        this.dateCreated = now;
        this.dateUpdated = now;
    }

    public String sid() {
        return sid;
    }

    public String contentType() {
        return contentType;
    }

    /** The file's name as uploaded, or {@code null} when none was given. */
    public String filename() {
        return filename;
    }

    public long size() {
        return content.length;
    }

    byte[] content() {
        return content;
    }

    /**
     * Attaches the file to a conversation's message: its {@code channel_sid} ("The unique id of the Conversation
     * (same as the underlying Chat Channel) containing the Message that this media instance was added to") and
     * {@code message_sid}. A file already attached keeps its first message: whether Twilio lets a second message
     * name it is undocumented.
     */
    public void attachTo(String conversationSid, String messageSid, Instant now) {
        if (this.messageSid == null) {
            this.channelSid = conversationSid;
            this.messageSid = messageSid;
            this.dateUpdated = now;
        }
    }

    /** The path of the resource on the MCS host, as its {@code url} gives it. */
    String path() {
        return "/v1/Services/" + serviceSid + "/Media/" + sid;
    }

    /**
     * The Media resource. {@code contentDirectTemporary} is the pre-signed link a fetch adds to {@code links};
     * {@code null} for the answer to an upload, whose {@code links} (in the answers clients record) have only
     * {@code content}.
     */
    Map<String, Object> toResource(String contentDirectTemporary) {
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("content", path() + "/Content");
        if (contentDirectTemporary != null) {
            links.put("content_direct_temporary", contentDirectTemporary);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sid", sid);
        r.put("account_sid", accountSid);
        r.put("service_sid", serviceSid);
        r.put("date_created", date(dateCreated));
        r.put("date_upload_updated", date(dateCreated));
        r.put("date_updated", date(dateUpdated));
        r.put("links", links);
        r.put("size", size());
        r.put("content_type", contentType);
        r.put("filename", filename);
        r.put("author", author);
        r.put("category", CATEGORY);
        r.put("message_sid", messageSid);
        r.put("channel_sid", channelSid);
        r.put("url", path());
        r.put("is_multipart_upstream", false);
        return r;
    }

    /**
     * The entry of a message's {@code media} list. OpenAPI: "Each object contains these fields: {@code content_type}
     * with the MIME type of the media, {@code filename} with the name of the media, {@code sid} with the SID of the
     * Media resource, and {@code size} with the media object's file size in bytes". Twilio's answers also carry
     * {@code category} ({@code media}), as the MCS resource does; the spec's item schema is open ({@code {}}).
     */
    public Map<String, Object> toMessageMedia() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("category", CATEGORY);
        m.put("filename", filename);
        m.put("size", size());
        m.put("content_type", contentType);
        m.put("sid", sid);
        return m;
    }

    /**
     * The entry of the {@code Media} parameter of {@code onMessageAdd}/{@code onMessageAdded} webhooks: the same
     * fields with Twilio's webhook capitalisation ({@code Sid}, {@code Filename}, {@code ContentType},
     * {@code Size}, {@code Category}).
     */
    public Map<String, Object> toWebhookMedia() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Sid", sid);
        m.put("Filename", filename);
        m.put("ContentType", contentType);
        m.put("Size", size());
        m.put("Category", CATEGORY);
        return m;
    }

    private static String date(Instant instant) {
        return MCS_DATE.format(instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
    }
}
