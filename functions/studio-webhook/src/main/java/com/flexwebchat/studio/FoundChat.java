package com.flexwebchat.studio;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A web chat as the Studio webhook needs it.
 *
 * @param sid               the conversation (or legacy channel) SID, {@code CH...}
 * @param closed            whether the chat has ended (conversation {@code closed}; legacy channel {@code INACTIVE})
 * @param attributes        the conversation's (channel's) attributes, an empty object when unreadable
 * @param preEngagementData {@code attributes.pre_engagement_data}, an empty object when absent
 */
record FoundChat(String sid, boolean closed, ObjectNode attributes, ObjectNode preEngagementData) {

    /** Pre-engagement values are visitors' personal data: keep them out of logs. */
    @Override
    public String toString() {
        return "FoundChat[" + sid + ", closed=" + closed + "]";
    }
}
