package com.flexwebchat.shared.mail;

import java.util.List;
import java.util.Objects;

/**
 * One email to one recipient: an HTML body, optionally a plain-text alternative, and attachments. What it
 * holds is a visitor's personal data (their address, their chat), so none of it is ever logged, and
 * {@link #toString()} shows only counts and sizes.
 *
 * @param from        the sender: an address the provider has verified (FROM_EMAIL), with an optional display name
 * @param to          the recipient's address
 * @param text        the plain-text alternative, or null for an HTML-only email
 * @param attachments in the order the recipient sees them; empty for none
 */
public record Email(Address from, String to, String subject, String html, String text, List<Attachment> attachments) {

    /** @param name the display name ("Support" in {@code Support <help@example.com>}), or null */
    public record Address(String address, String name) {

        public Address {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String toString() {
            return "Address[redacted]";
        }
    }

    /** @param contentType its MIME type, or null to leave it to the provider (SES derives it from the file name) */
    public record Attachment(String filename, String contentType, byte[] content) {

        public Attachment {
            Objects.requireNonNull(filename, "filename");
            Objects.requireNonNull(content, "content");
        }

        @Override
        public String toString() {
            return "Attachment[" + content.length + " bytes]";
        }
    }

    public Email {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(html, "html");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** The attachments' bytes together, before any encoding. */
    public long attachmentBytes() {
        return attachments.stream().mapToLong(a -> a.content().length).sum();
    }

    @Override
    public String toString() {
        return "Email[" + attachments.size() + " attachments, " + attachmentBytes() + " bytes]";
    }
}
