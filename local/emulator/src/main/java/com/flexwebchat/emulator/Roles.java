package com.flexwebchat.emulator;

/**
 * The default roles every Chat/Conversations service comes with: {@code service user} for users and
 * {@code channel user} for participants and members. Their SIDs are stable per service.
 *
 * @see <a href="https://www.twilio.com/docs/conversations/api/role-resource">Role resource</a>
 */
final class Roles {

    private Roles() {
    }

    static String serviceUser(String serviceSid) {
        return Sids.derived("RL", serviceSid + "/service user");
    }

    static String channelUser(String serviceSid) {
        return Sids.derived("RL", serviceSid + "/channel user");
    }
}
