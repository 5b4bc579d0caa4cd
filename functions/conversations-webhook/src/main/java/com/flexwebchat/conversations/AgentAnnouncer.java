package com.flexwebchat.conversations;

import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.flex.AgentNames;
import com.flexwebchat.shared.flex.FlexAgents;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import java.util.Optional;

/**
 * The post-event {@code onParticipantAdded} webhook: when an agent joins (first, or after a
 * transfer), the visitor sees them under their public name, never their real one. The widget
 * shows each author's Conversations User friendly name, so that name becomes the worker's
 * {@code public_identity} (or DEFAULT_AGENT_NAME), before the Concierge's "{name} joined the chat".
 *
 * <p>Twilio may deliver the same event more than once. Without a database, the notice is its
 * own record: it carries {@code joinedParticipantSid} in its attributes, and a delivery that
 * finds such a notice among the latest messages posts none. Posting is the single write that is
 * both the effect and its record, so no failure between the two can double it. The user update
 * is made only when the name differs. What is not covered: two deliveries of the same event
 * within the same few hundred milliseconds both find no notice and both post one. A retry comes
 * after the first attempt failed or timed out, when that attempt's notice is already there (this
 * function answers within its 4 s budget, before Twilio's 5 s timeout); only the same URL
 * configured twice (account-level and service-level webhooks) delivers in parallel, and the cost
 * is a repeated notice.
 */
final class AgentAnnouncer {

    /** The attribute that ties a join notice to the participant it announces. */
    static final String JOINED_PARTICIPANT = "joinedParticipantSid";
    /**
     * How far back a join notice is looked for. A repeated delivery follows the first within
     * seconds, so its notice is among the latest messages.
     */
    static final int RECENT_MESSAGES = 50;

    private final FlexAgents agents;
    private final AgentNames names;
    private final FlexConversations conversations;
    private final String defaultAgentName;

    AgentAnnouncer(FlexAgents agents, AgentNames names, FlexConversations conversations, String defaultAgentName) {
        this.agents = agents;
        this.names = names;
        this.conversations = conversations;
        this.defaultAgentName = defaultAgentName;
    }

    /** @param identity the participant's chat identity; null for an SMS or WhatsApp participant */
    void participantAdded(String conversationSid, String participantSid, String identity) {
        if (identity == null) {
            Log.info("Participant has no chat identity; not an agent");
            return;
        }
        Optional<FlexAgents.Agent> agent = agents.find(identity);
        if (agent.isEmpty()) {
            Log.info("Participant is not an agent");
            return;
        }
        Log.put("workerSid", agent.get().workerSid());
        String publicName = agent.get().publicIdentity() == null ? defaultAgentName : agent.get().publicIdentity();

        boolean renamed = names.showAs(conversationSid, participantSid, identity, publicName);
        boolean announced = conversations.latestMessages(conversationSid, RECENT_MESSAGES).stream()
                .anyMatch(m -> m.isConciergeNotice(JOINED_PARTICIPANT)
                        && participantSid.equals(m.attributes().path(JOINED_PARTICIPANT).asText()));
        if (announced) {
            Log.info("Agent already announced", "renamed", renamed);
            return;
        }
        conversations.postAsConcierge(conversationSid, joinNotice(publicName), Json.object().put(JOINED_PARTICIPANT, participantSid));
        Log.info("Agent announced", "renamed", renamed, "defaultName", agent.get().publicIdentity() == null);
    }

    static String joinNotice(String publicName) {
        return publicName + " joined the chat";
    }
}
