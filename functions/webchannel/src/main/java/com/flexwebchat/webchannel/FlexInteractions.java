package com.flexwebchat.webchannel;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.twilio.TwilioGateway;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannel;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannelUpdater;
import com.twilio.rest.taskrouter.v1.workspace.Task;
import com.twilio.rest.taskrouter.v1.workspace.TaskFetcher;
import com.twilio.rest.taskrouter.v1.workspace.TaskReader;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A conversation's Flex interaction, found through its TaskRouter task and ended through the
 * Interactions API, the way Flex supports ending it: "deleting or canceling a task are not
 * supported. You must use the Interactions Channels subresource"
 * (https://www.twilio.com/docs/flex/developer/conversations/best-practices).
 * <ul>
 *   <li>Find: the workspace's tasks whose attributes carry the conversation
 *       ({@code GET /v1/Workspaces/{WS}/Tasks?EvaluateTaskAttributes=conversationSid == "CH..."},
 *       only those still {@code pending}, {@code reserved} or {@code assigned}); then that task,
 *       since lists leave {@code attributes} out ("it will only be displayed in FETCH action that
 *       returns a single resource", twilio_taskrouter_v1.json). Flex's tasks carry
 *       {@code flexInteractionSid} and {@code flexInteractionChannelSid}.</li>
 *   <li>End: {@code POST /v1/Interactions/{KD}/Channels/{UO}} with {@code Status=closed} and no
 *       {@code Routing}: "if not specified, all tasks will be set to wrapping"
 *       (twilio_flex_v1.json, UpdateInteractionChannel), so an agent who has the chat finishes it
 *       in wrap-up. A task no agent has accepted yet cannot wrap up and is canceled instead.</li>
 * </ul>
 */
final class FlexInteractions {

    /** A Flex interaction channel, and the task that named it. */
    record Channel(String interactionSid, String channelSid, String taskSid) {
    }

    /** Tasks still in Flex's hands; a wrapping, completed or canceled one needs nothing from us. */
    private static final List<String> ACTIVE = List.of("pending", "reserved", "assigned");
    /** A conversation has one task, a few after transfers. */
    private static final long PAGE_SIZE = 20;

    private final TwilioGateway twilio;
    private final String workspaceSid;

    FlexInteractions(TwilioGateway twilio, String workspaceSid) {
        this.twilio = twilio;
        this.workspaceSid = workspaceSid;
    }

    /** The interaction channel of the conversation's active task; empty when the chat has not reached Flex. */
    Optional<Channel> find(String conversationSid) {
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
        JsonNode attributes = parse(task.getAttributes());
        String interactionSid = attributes.path("flexInteractionSid").asText("");
        String channelSid = attributes.path("flexInteractionChannelSid").asText("");
        if (interactionSid.isEmpty() || channelSid.isEmpty()) {
            Log.warn("The conversation's task names no Flex interaction; it is left to Flex", "taskSid", taskSid);
            return Optional.empty();
        }
        return Optional.of(new Channel(interactionSid, channelSid, taskSid));
    }

    /** Closes the interaction channel: its assigned tasks go to wrapping, the others away. */
    void close(Channel channel) {
        twilio.call("close the Flex interaction", client ->
                new InteractionChannelUpdater(channel.interactionSid(), channel.channelSid(),
                        InteractionChannel.UpdateChannelStatus.CLOSED)
                        .update(client));
        Log.info("Flex interaction closed", "interactionSid", channel.interactionSid(), "taskSid", channel.taskSid());
    }

    void prime(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        Task.fromJson(Priming.json("{\"sid\":\"WT00000000000000000000000000000000\",\"assignment_status\":\"pending\","
                + "\"attributes\":\"{}\"}"), mapper);
        InteractionChannel.fromJson(Priming.json("{\"sid\":\"UO00000000000000000000000000000000\",\"status\":\"closed\","
                + "\"type\":\"web\"}"), mapper);
        parse("{\"flexInteractionSid\":\"KD00000000000000000000000000000000\"}");
    }

    private static JsonNode parse(String attributes) {
        try {
            JsonNode node = attributes == null ? null : Json.parse(attributes);
            return node == null ? Json.object() : node;
        } catch (IOException e) {
            return Json.object();
        }
    }
}
