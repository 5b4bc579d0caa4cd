package com.flexwebchat.emulator.flex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.conversations.Conversations;
import com.flexwebchat.emulator.http.ApiRequest;
import com.flexwebchat.emulator.http.ApiResponse;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Paging;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.taskrouter.TaskChannel;
import com.flexwebchat.emulator.taskrouter.TaskRouter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Flex Interactions API ({@code https://flex-api.twilio.com/v1/Interactions}): what Studio's Send to Flex does
 * for a Flex Conversations chat, and the way Flex supports ending one.
 * <ul>
 *   <li>{@code POST /v1/Interactions} with {@code Channel} (JSON: {@code type}, {@code initiated_by},
 *       {@code properties.media_channel_sid} naming an existing conversation) and {@code Routing} (JSON:
 *       {@code properties} with {@code workspace_sid}, optional {@code workflow_sid}, {@code task_channel_unique_name}
 *       or {@code task_channel_sid}, {@code attributes}, {@code priority}, {@code timeout}): creates the interaction,
 *       its channel and a pending TaskRouter task in the workspace whose attributes are the routing attributes "as
 *       is" plus {@code conversationSid}, {@code flexInteractionSid}, {@code flexInteractionChannelSid} and
 *       {@code flexChannelInviteSid}, as Flex's are. Answers 200 ("a 200 response only indicates that the server
 *       has accepted the request"). Agent-initiated (outbound) interactions, which create their conversation, are
 *       not emulated.</li>
 *   <li>{@code GET /v1/Interactions/{Sid}}, {@code GET /v1/Interactions/{InteractionSid}/Channels[/{Sid}]}.</li>
 *   <li>{@code POST /v1/Interactions/{InteractionSid}/Channels/{Sid}} with {@code Status} {@code closed} or
 *       {@code inactive} and optional {@code Routing} ({@code {"status":"closed"}}). The spec: "It changes the state
 *       of associated tasks. Routing status is required, When the channel status is set to {@code inactive}. Allowed
 *       Value for routing status is {@code closed}. Otherwise Optional, if not specified, all tasks will be set to
 *       {@code wrapping}." So without {@code Routing} an assigned task goes to {@code wrapping}; with
 *       {@code Routing.status=closed} assigned and wrapping tasks are {@code completed}. A task no agent has accepted
 *       ({@code pending}, {@code reserved}) cannot wrap up in TaskRouter's lifecycle and is {@code canceled} either
 *       way. Closing ({@code Status=closed}) "also closes the underlying media channel and changes it to read-only"
 *       (https://www.twilio.com/docs/api/errors/80906): the conversation is closed too. {@code inactive} parks the
 *       interaction: tasks end, the conversation stays open.</li>
 * </ul>
 * Interactions webhooks, participants, invites and transfers are not emulated.
 *
 * @see <a href="https://www.twilio.com/docs/flex/developer/conversations/interactions-api">Interactions API</a>
 */
final class FlexInteractionsApi {

    private static final String PREFIX = "/flex-api/v1/Interactions";
    /** "The default is 50, and the maximum is 1000." */
    private static final int MAX_PAGE_SIZE = 1000;

    private final Conversations conversations;
    private final TaskRouter taskRouter;
    private final Map<String, Interaction> interactions = new LinkedHashMap<>();

    FlexInteractionsApi(Conversations conversations, TaskRouter taskRouter) {
        this.conversations = conversations;
        this.taskRouter = taskRouter;
    }

    void register(Router router) {
        router.add("POST", PREFIX, this::createInteraction);
        router.add("GET", PREFIX + "/{Sid}", this::fetchInteraction);
        router.add("GET", PREFIX + "/{InteractionSid}/Channels", this::listChannels);
        router.add("GET", PREFIX + "/{InteractionSid}/Channels/{Sid}", this::fetchChannel);
        router.add("POST", PREFIX + "/{InteractionSid}/Channels/{Sid}", this::updateChannel);
    }

    // --- interactions --------------------------------------------------------------------------------------

    private ApiResponse createInteraction(ApiRequest req) {
        ObjectNode channelRequest = object("Channel", req.requiredForm("Channel"));
        String type = channelRequest.path("type").asText("");
        if (!InteractionChannel.TYPES.contains(type)) {
            throw TwilioError.invalidParameter("Channel", "type must be one of " + InteractionChannel.TYPES);
        }
        String conversationSid = channelRequest.path("properties").path("media_channel_sid").asText("");
        if (conversationSid.isEmpty()) {
            // TODO(uncertain): agent-initiated interactions create their conversation; only binding to one is emulated.
            throw TwilioError.invalidParameter("Channel", "properties.media_channel_sid (the conversation) is required by the emulator");
        }
        String state = conversations.state(conversationSid)
                .orElseThrow(() -> TwilioError.invalidParameter("Channel", "no conversation " + conversationSid));
        if (state.equals("closed")) {
            throw TwilioError.conversationClosed(conversationSid);
        }
        JsonNode routing = req.form("Routing") == null ? Json.MAPPER.createObjectNode() : object("Routing", req.form("Routing"));
        JsonNode properties = routing.path("properties");
        String workspaceSid = taskRouter.workspaceSid();
        if (!properties.path("workspace_sid").asText("").equals(workspaceSid)) {
            throw TwilioError.invalidParameter("Routing", "properties.workspace_sid must be the Flex workspace " + workspaceSid);
        }
        String workflowSid = properties.path("workflow_sid").asText("");
        if (!workflowSid.isEmpty() && !workflowSid.equals(taskRouter.workflowSid())) {
            throw TwilioError.invalidParameter("Routing", "no workflow " + workflowSid + " in workspace " + workspaceSid);
        }
        String channelName = properties.path("task_channel_sid").asText(
                properties.path("task_channel_unique_name").asText(TaskRouter.DEFAULT_CHANNEL));
        TaskChannel taskChannel = taskRouter.taskChannel(channelName)
                .orElseThrow(() -> TwilioError.invalidParameter("Routing", "no task channel " + channelName));

        Interaction interaction = new Interaction(channelRequest, emptyToNull(req.form("InteractionContextSid")),
                emptyToNull(req.form("WebhookTtid")));
        InteractionChannel channel = new InteractionChannel(interaction, type, conversationSid);
        interaction.channel = channel;

        ObjectNode attributes = taskAttributes(properties.path("attributes"));
        attributes.put("conversationSid", conversationSid);
        attributes.put("flexInteractionSid", interaction.sid);
        attributes.put("flexInteractionChannelSid", channel.sid);
        attributes.put("flexChannelInviteSid", Sids.random("KG"));
        String taskSid = taskRouter.createTask(Json.write(attributes), taskChannel, properties.path("priority").asInt(0),
                properties.path("timeout").asInt(TaskRouter.DEFAULT_TIMEOUT));
        channel.taskSids.add(taskSid);
        interactions.put(interaction.sid, interaction);
        return ApiResponse.ok(interaction.toResource(taskRouter.routing(taskSid).orElseThrow()));
    }

    private ApiResponse fetchInteraction(ApiRequest req) {
        Interaction interaction = interaction(req, "Sid");
        Optional<Map<String, Object>> routing = interaction.channel.taskSids.stream().findFirst().flatMap(taskRouter::routing);
        return ApiResponse.ok(interaction.toResource(routing.orElse(null)));
    }

    // --- channels ------------------------------------------------------------------------------------------

    private ApiResponse listChannels(ApiRequest req) {
        Interaction interaction = interaction(req, "InteractionSid");
        return ApiResponse.ok(Paging.page("channels", interaction.url() + "/Channels", List.of(), MAX_PAGE_SIZE, req,
                List.of(interaction.channel), InteractionChannel::toResource));
    }

    private ApiResponse fetchChannel(ApiRequest req) {
        return ApiResponse.ok(channel(req).toResource());
    }

    private ApiResponse updateChannel(ApiRequest req) {
        InteractionChannel channel = channel(req);
        String status = req.requiredForm("Status");
        if (!status.equals("closed") && !status.equals("inactive")) {
            throw TwilioError.invalidParameter("Status", "must be closed or inactive");
        }
        String routingStatus = null;
        if (req.form("Routing") != null) {
            routingStatus = object("Routing", req.form("Routing")).path("status").asText(null);
            if (routingStatus != null && !routingStatus.equals("closed")) {
                throw TwilioError.invalidParameter("Routing", "status may only be closed");
            }
        }
        if (status.equals("inactive") && routingStatus == null) {
            throw TwilioError.invalidParameter("Routing", "status closed is required when the channel status is inactive");
        }
        if (channel.status == InteractionChannel.Status.CLOSED) {
            // TODO(uncertain): Flex logs warning 80906 ("Interaction Not Open") for a second completion; what the REST
            //  API answers is undocumented. The emulator changes nothing and answers the channel as it is.
            return ApiResponse.ok(channel.toResource());
        }
        // Assigned tasks wrap up (complete with Routing.status=closed); tasks no agent accepted are canceled.
        boolean complete = routingStatus != null;
        for (String taskSid : channel.taskSids) {
            taskRouter.endTask(taskSid, complete, "Interaction channel closed");
        }
        if (status.equals("closed")) {
            channel.status = InteractionChannel.Status.CLOSED;
            // TODO(uncertain): whether Flex fires the conversation's onConversationStateUpdated webhook here is
            //  undocumented; the emulator closes it without webhooks.
            conversations.closeWithoutWebhooks(channel.conversationSid);
        } else {
            channel.status = InteractionChannel.Status.INACTIVE;
        }
        return ApiResponse.ok(channel.toResource());
    }

    // --- lookups and rendering -----------------------------------------------------------------------------

    private Interaction interaction(ApiRequest req, String param) {
        Interaction interaction = interactions.get(req.pathParam(param));
        if (interaction == null) {
            throw TwilioError.notFound(req.resource());
        }
        return interaction;
    }

    private InteractionChannel channel(ApiRequest req) {
        InteractionChannel channel = interaction(req, "InteractionSid").channel;
        if (!channel.sid.equals(req.pathParam("Sid"))) {
            throw TwilioError.notFound(req.resource());
        }
        return channel;
    }

    /** Routing attributes go onto the task "as is": a JSON object, or a string holding one. */
    private static ObjectNode taskAttributes(JsonNode attributes) {
        if (attributes.isObject()) {
            return ((ObjectNode) attributes).deepCopy();
        }
        if (attributes.isTextual()) {
            JsonNode parsed = Json.requireJsonParameter("Routing", attributes.asText());
            if (parsed.isObject()) {
                return (ObjectNode) parsed;
            }
        }
        if (attributes.isMissingNode() || attributes.isNull()) {
            return Json.MAPPER.createObjectNode();
        }
        throw TwilioError.invalidParameter("Routing", "properties.attributes must be a JSON object");
    }

    /** A form parameter that must hold a JSON object. */
    private static ObjectNode object(String name, String value) {
        JsonNode node = Json.requireJsonParameter(name, value);
        if (!(node instanceof ObjectNode object)) {
            throw TwilioError.invalidParameter(name, "must be a JSON object");
        }
        return object;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
