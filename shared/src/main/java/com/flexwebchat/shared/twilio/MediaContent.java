package com.flexwebchat.shared.twilio;

/**
 * A file of a conversation's media, as {@link ConversationMedia#fetch} read it from Twilio: its bytes, or, when it
 * is larger than the caller would take, none ({@link #tooLarge()}).
 *
 * @param sid         the Media SID ({@code ME...})
 * @param contentType its MIME type, as Twilio keeps it
 * @param filename    its name as the sender gave it, or null; a name a visitor chose, so never a path to use as is
 * @param size        its size in bytes as Twilio declares it (when Twilio declares none: the bytes read, which
 *                    for a file too large is more than the limit, not its whole size)
 * @param bytes       the file, or null when it is too large
 */
public record MediaContent(String sid, String contentType, String filename, long size, byte[] bytes) {

    /** Whether the file was larger than the limit, so not read (or not read whole). */
    public boolean tooLarge() {
        return bytes == null;
    }

    /** Files are visitors' data: their names and bytes stay out of logs. */
    @Override
    public String toString() {
        return "MediaContent[" + sid + ", " + contentType + ", " + size + " bytes" + (tooLarge() ? ", too large" : "") + "]";
    }
}
