package com.flexwebchat.ops.wiring;

import com.flexwebchat.agentended.AgentEndedHandler;
import com.flexwebchat.conversations.ConversationsWebhookHandler;
import java.util.List;

/**
 * What Twilio must call, and with which events: the two webhook routes of template.yaml's HTTP API
 * that Twilio is configured to call (Studio's is set in the flow instead), each with the events
 * its function acts on, as the function itself publishes them.
 */
public final class Webhooks {

    /** ConversationsWebhookFunction's route: the Conversations service's pre- and post-event webhook. */
    public static final String CONVERSATIONS_ROUTE = "/webhooks/conversations";
    /** The Conversations events that function handles: the service's webhook filters. */
    public static final List<String> CONVERSATIONS_EVENTS = ConversationsWebhookHandler.EVENTS;

    /** AgentEndedFunction's route: the TaskRouter workspace's Event Callback URL. */
    public static final String TASKROUTER_ROUTE = "/webhooks/taskrouter";
    /** The TaskRouter events that function handles, sorted. */
    public static final List<String> TASKROUTER_EVENTS = AgentEndedHandler.EVENTS;
    /** The workspace's EventsFilter: those events, comma-separated. */
    public static final String TASKROUTER_EVENTS_FILTER = String.join(",", TASKROUTER_EVENTS);

    private Webhooks() {
    }
}
