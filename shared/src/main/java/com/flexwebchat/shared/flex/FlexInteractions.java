package com.flexwebchat.shared.flex;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannel;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelFetcher;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelUpdater;
import com.twilio.rest.taskrouter.v1.workspace.Task;
import com.twilio.rest.taskrouter.v1.workspace.TaskFetcher;
import com.twilio.rest.taskrouter.v1.workspace.TaskReader;
import java.util.List;
import java.util.Optional;

/**
 * Flex Conversations' interactions: how Flex routes a conversation to agents, found through the
 * TaskRouter task Flex made for it and ended through the Interactions API, the way Flex supports:
 * "deleting or canceling a task are not supported. You must use the Interactions Channels
 * subresource" (https://www.twilio.com/docs/flex/developer/conversations/best-practices).
 * <ul>
 *   <li>{@link #activeChannelOf}: the workspace's tasks whose attributes carry the conversation
 *       ({@code GET /v1/Workspaces/{WS}/Tasks?EvaluateTaskAttributes=conversationSid == "CH..."},
 *       only those still {@code pending}, {@code reserved} or {@code assigned}); then that task, since
 *       lists leave {@code attributes} out ("it will only be displayed in FETCH action that returns
 *       a single resource", twilio_taskrouter_v1.json). Flex's tasks carry {@code flexInteractionSid}
 *       and {@code flexInteractionChannelSid}.</li>
 *   <li>{@link #status}: {@code GET /v1/Interactions/{KD}/Channels/{UO}}. A task also wraps up when
 *       its agent leaves a chat that goes on (a transfer; a parked interaction, whose "channel,
 *       Conversation in this case, remains active",
 *       https://www.twilio.com/docs/flex/developer/conversations/park-an-interaction): only a closed
 *       channel means Flex considers the chat over.</li>
 *   <li>{@link #close}: {@code POST /v1/Interactions/{KD}/Channels/{UO}} with {@code Status=closed} and
 *       no {@code Routing}: "if not specified, all tasks will be set to wrapping" (UpdateInteractionChannel),
 *       so an agent who has the chat finishes it in wrap-up; a task no agent has accepted is canceled.</li>
 * </ul>
 * Legacy (Programmable Chat) web chats have no interactions: {@link #NONE} finds none.
 */
public final class FlexInteractions {

    /** A Flex interaction channel, and the task that named it. */
    public record Channel(String interactionSid, String channelSid, String taskSid) {
    }

    /** Interactions for chats that have none: nothing is found, nothing is called. */
    public static final FlexInteractions NONE = new FlexInteractions(null, null);

    /** Tasks still in Flex's hands; a wrapping, completed or canceled one needs nothing from us. */
    private static final List<String> ACTIVE = List.of("pending", "reserved", "assigned");
    /** A conversation has one task, a few after transfers. */
    private static final long PAGE_SIZE = 20;

    private final TwilioGateway twilio;
    private final String workspaceSid;

    /** @param workspaceSid Flex's TaskRouter workspace (TASKROUTER_WORKSPACE_SID); without it no task can be found */
    public FlexInteractions(TwilioGateway twilio, String workspaceSid) {
        this.twilio = twilio;
        this.workspaceSid = workspaceSid;
    }

    /** The interaction channel of the conversation's active task; empty when the chat has not reached Flex, or is over. */
    public Optional<Channel> activeChannelOf(String conversationSid) {
        if (twilio == null) {
            return Optional.empty();
        }
        if (workspaceSid == null) {
            Log.warn("TASKROUTER_WORKSPACE_SID is not set, so the chat's Flex task is not looked for; the agent ends it in Flex");
            return Optional.empty();
        }
        List<Task> tasks = twilio.call("look up the conversation's Flex task", client ->
                new TaskReader(workspaceSid)
                        .setEvaluateTaskAttributes("conversationSid == \"" + conversationSid + "\"")
                        .setAssignmentStatus(ACTIVE)
                        .setPageSize(PAGE_SIZE)
                        .firstPage(client)
                        .getRecords());
        if (tasks.isEmpty()) {
            return Optional.empty();
        }
        String taskSid = tasks.get(0).getSid();
        Task task = twilio.call("fetch the conversation's Flex task", client -> new TaskFetcher(workspaceSid, taskSid).fetch(client));
        ObjectNode attributes = Chat.attributes(task.getAttributes());
        String interactionSid = attributes.path("flexInteractionSid").asText("");
        String channelSid = attributes.path("flexInteractionChannelSid").asText("");
        if (interactionSid.isEmpty() || channelSid.isEmpty()) {
            Log.warn("The conversation's task names no Flex interaction; it is left to Flex", "taskSid", taskSid);
            return Optional.empty();
        }
        return Optional.of(new Channel(interactionSid, channelSid, taskSid));
    }

    /** The channel's status as Flex names it, e.g. {@link #CLOSED}. */
    public static final String CLOSED = "closed";

    /** The channel's status ({@code closed}, {@code active}, ...), or empty when Flex has no such channel (deleted after 180 days of inactivity). */
    public Optional<String> status(String interactionSid, String channelSid) {
        if (twilio == null) {
            return Optional.empty();
        }
        return twilio.find("read the interaction channel's status", client ->
                new InteractionChannelFetcher(interactionSid, channelSid).fetch(client).getStatus())
                .map(InteractionChannel.ChannelStatus::toString);
    }

    /** Closes the interaction channel: its assigned tasks go to wrapping, the others away. */
    public void close(Channel channel) {
        twilio.call("close the Flex interaction", client ->
                new InteractionChannelUpdater(channel.interactionSid(), channel.channelSid(),
                        InteractionChannel.UpdateChannelStatus.CLOSED)
                        .update(client));
        Log.info("Flex interaction closed", "interactionSid", channel.interactionSid(), "taskSid", channel.taskSid());
    }
}
