package com.flexwebchat.emulator.conversations;

import com.flexwebchat.emulator.http.Sids;

/**
 * The default roles every Chat/Conversations service comes with: {@code service user} for users,
 * {@code channel user} for participants and members, and {@code channel admin}, the other conversation-level
 * role a participant may be given. Their SIDs are stable per service.
 *
 * @see <a href="https://www.twilio.com/docs/conversations/api/role-resource">Role resource</a>
 */
public final class Roles {

    private Roles() {
    }

    static String serviceUser(String serviceSid) {
        return Sids.derived("RL", serviceSid + "/service user");
    }

    public static String channelUser(String serviceSid) {
        return Sids.derived("RL", serviceSid + "/channel user");
    }

    static String channelAdmin(String serviceSid) {
        return Sids.derived("RL", serviceSid + "/channel admin");
    }

    /** Whether a role may be given to a participant ("a conversation-level Role"). */
    static boolean isConversationRole(String serviceSid, String roleSid) {
        return channelUser(serviceSid).equals(roleSid) || channelAdmin(serviceSid).equals(roleSid);
    }
}
