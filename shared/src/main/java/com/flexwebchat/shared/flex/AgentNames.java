package com.flexwebchat.shared.flex;

import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.conversations.v1.service.ParticipantConversation;
import com.twilio.rest.conversations.v1.service.ParticipantConversationReader;
import com.twilio.rest.conversations.v1.service.User;
import com.twilio.rest.conversations.v1.service.UserFetcher;
import com.twilio.rest.conversations.v1.service.UserUpdater;
import java.util.List;
import java.util.Optional;

/**
 * The name visitors see for an agent: the friendly name of the agent's Conversations User, which
 * the widget shows as the author of the agent's messages ({@code /v1/Services/{IS}/Users/{Sid}},
 * where Twilio takes the User's SID or its identity).
 *
 * <p>An identity travels encoded exactly once. twilio-java (13.x, {@code IRequest.buildURL})
 * percent-encodes every path segment itself ({@code URLEncoder}, then {@code +} as {@code %20}),
 * so an identity goes into the path as it is: {@code jane@example.com} is sent as
 * {@code jane%40example.com}, which Twilio decodes back to the identity. Encoding it before (as a
 * URL-safe segment) sends {@code jane%2540example.com}, a User that does not exist. Where the SDK
 * cannot carry an identity in a path at all (it splits the path on {@code /}, and
 * {@code java.net.URL} takes {@code ?} and {@code #} for the query and the fragment; a segment
 * {@code .} or {@code ..} is a path step), the User is named by its SID instead, read from the
 * participant's conversations ({@code GET /v1/Services/{IS}/ParticipantConversations?Identity=},
 * a query parameter, which the SDK form-encodes once).
 */
public final class AgentNames {

    /** A participant is in few conversations at once; its own is on the first page. */
    private static final long PARTICIPATIONS_PAGE = 50;

    private final TwilioGateway twilio;
    private final String serviceSid;

    /** @param serviceSid the Flex Conversations service (CONVERSATIONS_SERVICE_SID) */
    public AgentNames(TwilioGateway twilio, String serviceSid) {
        this.twilio = twilio;
        this.serviceSid = serviceSid;
    }

    /**
     * Makes {@code publicName} the name the agent's messages show, unless it is already.
     *
     * @param conversationSid the conversation the agent joined
     * @param participantSid  the agent's participant there ({@code MB...})
     * @return true when the name was changed; false when it was already right, or when the agent's
     *         User could not be found (logged)
     */
    public boolean showAs(String conversationSid, String participantSid, String identity, String publicName) {
        Optional<String> user = inPath(identity) ? Optional.of(identity) : userSidOf(conversationSid, participantSid, identity);
        if (user.isEmpty()) {
            Log.warn("The agent's Conversations User was not found among its participations; not renamed",
                    "outcome", "user_not_found");
            return false;
        }
        User current = twilio.call("read the agent's user", client -> new UserFetcher(serviceSid, user.get()).fetch(client));
        if (publicName.equals(current.getFriendlyName())) {
            return false;
        }
        twilio.call("set the agent's public name", client ->
                new UserUpdater(serviceSid, user.get()).setFriendlyName(publicName).update(client));
        return true;
    }

    /** Whether the SDK's own encoding carries this identity in a path segment intact. */
    static boolean inPath(String identity) {
        return !identity.isEmpty() && !identity.equals(".") && !identity.equals("..")
                && identity.chars().noneMatch(c -> c == '/' || c == '?' || c == '#' || c == '\\');
    }

    private Optional<String> userSidOf(String conversationSid, String participantSid, String identity) {
        List<ParticipantConversation> participations = twilio.call("look up the agent's user", client ->
                new ParticipantConversationReader(serviceSid)
                        .setIdentity(identity)
                        .setPageSize(PARTICIPATIONS_PAGE)
                        .firstPage(client)
                        .getRecords());
        return participations.stream()
                .filter(p -> conversationSid.equals(p.getConversationSid()) && participantSid.equals(p.getParticipantSid()))
                .map(ParticipantConversation::getParticipantUserSid)
                .filter(sid -> sid != null && !sid.isBlank())
                .findFirst();
    }
}
