package com.flexwebchat.emulator.flex;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.testing.SdkAgainstEmulator;
import com.twilio.exception.ApiException;
import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.flexapi.v1.Interaction;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannel;
import com.twilio.rest.taskrouter.v1.workspace.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.flexwebchat.emulator.testing.Clients.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flex Interactions: Send to Flex creates a routed task; closing the channel ends its tasks and the conversation. */
class FlexInteractionsApiTest extends SdkAgainstEmulator {

    @AfterEach
    void conforms() {
        assertEquals(List.of(), emulator.contractViolations());
    }

    /** What Studio's Send to Flex widget does for a conversation. */
    private static Interaction sendToFlex(String conversationSid) {
        return Interaction.creator(Map.of("type", "web", "initiated_by", "customer",
                        "properties", Map.of("media_channel_sid", conversationSid)))
                .setRouting(Map.of("properties", Map.of("workspace_sid", account.taskrouterWorkspaceSid(),
                        "task_channel_unique_name", "chat",
                        "attributes", Map.of("channelType", "web", "name", "Ada"))))
                .create(client);
    }

    private static String taskOf(Interaction interaction) {
        return ((Map<?, ?>) ((Map<?, ?>) interaction.getRouting()).get("properties")).get("sid").toString();
    }

    private static InteractionChannel channelOf(Interaction interaction) {
        return list(InteractionChannel.reader(interaction.getSid()).read(client)).get(0);
    }

    @Test
    void sendToFlexCreatesAPendingTaskThatNamesTheConversationAndTheInteraction() throws Exception {
        String conversation = Conversation.creator().create(client).getSid();
        Interaction interaction = sendToFlex(conversation);
        InteractionChannel channel = channelOf(interaction);

        assertTrue(interaction.getSid().startsWith("KD"));
        assertEquals(InteractionChannel.ChannelStatus.ACTIVE, channel.getStatus());
        assertEquals(InteractionChannel.Type.WEB, channel.getType());
        Map<String, Object> task = emulator.task(taskOf(interaction)).orElseThrow();
        assertEquals("pending", task.get("assignment_status"));
        assertEquals("chat", task.get("task_channel_unique_name"));
        JsonNode attributes = Json.parse(task.get("attributes").toString());
        assertEquals(conversation, attributes.get("conversationSid").asText());
        assertEquals(interaction.getSid(), attributes.get("flexInteractionSid").asText());
        assertEquals(channel.getSid(), attributes.get("flexInteractionChannelSid").asText());
        assertEquals("Ada", attributes.get("name").asText());

        List<Task> found = list(Task.reader(account.taskrouterWorkspaceSid())
                .setEvaluateTaskAttributes("conversationSid == \"" + conversation + "\"").read(client));
        assertEquals(List.of(taskOf(interaction)), found.stream().map(Task::getSid).toList());
        assertEquals(interaction.getSid(), Interaction.fetcher(interaction.getSid()).fetch(client).getSid());
    }

    @Test
    void closingWrapsUpAnAssignedTaskAndClosesTheConversation() {
        String conversation = Conversation.creator().create(client).getSid();
        Interaction interaction = sendToFlex(conversation);
        emulator.routeTask(taskOf(interaction), "reserved");
        emulator.routeTask(taskOf(interaction), "assigned");
        InteractionChannel channel = channelOf(interaction);

        InteractionChannel closed = InteractionChannel.updater(interaction.getSid(), channel.getSid(),
                InteractionChannel.UpdateChannelStatus.CLOSED).update(client);

        assertEquals(InteractionChannel.ChannelStatus.CLOSED, closed.getStatus());
        assertEquals("wrapping", emulator.task(taskOf(interaction)).orElseThrow().get("assignment_status"));
        assertEquals("closed", emulator.conversation(conversation).orElseThrow().get("state"));
    }

    @Test
    void closingCancelsATaskNoAgentHasAccepted() {
        for (String routed : List.of("pending", "reserved")) {
            Interaction interaction = sendToFlex(Conversation.creator().create(client).getSid());
            if (routed.equals("reserved")) {
                emulator.routeTask(taskOf(interaction), "reserved");
            }
            InteractionChannel.updater(interaction.getSid(), channelOf(interaction).getSid(),
                    InteractionChannel.UpdateChannelStatus.CLOSED).update(client);
            assertEquals("canceled", emulator.task(taskOf(interaction)).orElseThrow().get("assignment_status"), routed);
        }
    }

    @Test
    void routingClosedCompletesTheTaskAndInactiveParksTheConversation() {
        String conversation = Conversation.creator().create(client).getSid();
        Interaction interaction = sendToFlex(conversation);
        emulator.routeTask(taskOf(interaction), "reserved");
        emulator.routeTask(taskOf(interaction), "assigned");
        String channel = channelOf(interaction).getSid();

        assertThrows(ApiException.class, () -> InteractionChannel.updater(interaction.getSid(), channel,
                InteractionChannel.UpdateChannelStatus.INACTIVE).update(client), "inactive needs Routing status closed");
        InteractionChannel parked = InteractionChannel.updater(interaction.getSid(), channel,
                InteractionChannel.UpdateChannelStatus.INACTIVE).setRouting(Map.of("status", "closed")).update(client);

        assertEquals(InteractionChannel.ChannelStatus.INACTIVE, parked.getStatus());
        assertEquals("completed", emulator.task(taskOf(interaction)).orElseThrow().get("assignment_status"));
        assertEquals("active", emulator.conversation(conversation).orElseThrow().get("state"));
    }

    @Test
    void unknownInteractionsAndClosedConversationsAreRefused() {
        assertThrows(ApiException.class, () -> Interaction.fetcher("KD" + "0".repeat(32)).fetch(client));
        String conversation = Conversation.creator().create(client).getSid();
        emulator.closeConversation(conversation);
        assertThrows(ApiException.class, () -> sendToFlex(conversation));
    }
}
