package com.flexwebchat.shared.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A message as read back to recognise what this backend posted before (a notice carries its
 * purpose in its attributes), so a repeated delivery of an event does not post it twice.
 *
 * @param author     the author's identity ({@code Concierge} for our notices)
 * @param attributes its attributes, an empty object when none or unreadable
 */
public record ChatMessage(String author, ObjectNode attributes) {

    /** Whether this is a notice of the Concierge's whose attributes carry {@code attribute}. */
    public boolean isConciergeNotice(String attribute) {
        return Concierge.AUTHOR.equals(author) && attributes.hasNonNull(attribute);
    }
}
