package com.flexwebchat.emulator.taskrouter;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.emulator.WebhookDelivery;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.testing.Clients;
import com.flexwebchat.emulator.testing.WebhookReceiver;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.flexapi.v1.Interaction;
import com.twilio.rest.flexapi.v1.interaction.InteractionChannel;
import com.twilio.rest.taskrouter.v1.Workspace;
import com.twilio.rest.taskrouter.v1.workspace.Task;
import com.twilio.security.RequestValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.flexwebchat.emulator.testing.Clients.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TaskRouter's event callbacks: task changes posted to the workspace's Event Callback URL, signed, filtered by
 * its EventsFilter, whoever changes the task (the REST API, or Flex closing an interaction). A JDK HTTP server on
 * 127.0.0.1 receives them.
 */
class TaskRouterEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static WebhookReceiver receiver;
    private TwilioEmulator emulator;
    private TwilioRestClient client;
    private String ws;
    private String path;

    @BeforeAll
    static void startReceiver() {
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    /** A fresh emulator per test (the callback URL is state), and a path of its own on the receiver. */
    @BeforeEach
    void start() {
        emulator = TwilioEmulator.start(0);
        client = Clients.sdk(emulator);
        ws = emulator.account().taskrouterWorkspaceSid();
        path = "/events-" + Sids.random("XX").substring(2, 10);
        receiver.answer(path, 204, "");
    }

    @AfterEach
    void stop() {
        assertEquals(List.of(), emulator.contractViolations());
        emulator.close();
    }

    private void callbackTo(String eventsFilter) {
        Workspace.updater(ws).setEventCallbackUrl(receiver.url(path)).setEventsFilter(eventsFilter).update(client);
    }

    private List<WebhookReceiver.Received> events() {
        emulator.awaitWebhooks(WAIT);
        return receiver.received(path);
    }

    private List<String> eventTypes() {
        return events().stream().map(e -> e.param("EventType")).toList();
    }

    @Test
    void aTaskEventCarriesTheDocumentedParametersSignedAsTwilioSignsThem() {
        callbackTo(null);
        Instant before = Instant.now().minusSeconds(1);
        Task task = Task.creator(ws).setAttributes("{\"channelType\":\"web\"}").setTaskChannel("chat").setPriority(3)
                .create(client);

        WebhookReceiver.Received event = events().get(0);

        assertEquals("POST", event.method());
        assertEquals("task.created", event.param("EventType"));
        assertEquals(emulator.account().accountSid(), event.param("AccountSid"));
        assertEquals(ws, event.param("WorkspaceSid"));
        assertEquals("Flex Task Assignment", event.param("WorkspaceName"));
        assertEquals("Task " + task.getSid() + " created", event.param("EventDescription"));
        assertEquals("Task", event.param("ResourceType"));
        assertEquals(task.getSid(), event.param("ResourceSid"));
        assertEquals(task.getSid(), event.param("TaskSid"));
        assertEquals("{\"channelType\":\"web\"}", event.param("TaskAttributes"));
        assertEquals("pending", event.param("TaskAssignmentStatus"));
        assertEquals("3", event.param("TaskPriority"));
        assertEquals("0", event.param("TaskAge"));
        assertEquals("chat", event.param("TaskChannelUniqueName"));
        assertEquals(task.getTaskChannelSid(), event.param("TaskChannelSid"));
        assertEquals(task.getTaskQueueSid(), event.param("TaskQueueSid"));
        assertEquals(task.getWorkflowSid(), event.param("WorkflowSid"));
        assertTrue(Sids.isSid("EV", event.param("Sid")), event.param("Sid"));
        long timestamp = Long.parseLong(event.param("Timestamp"));
        assertTrue(timestamp >= before.getEpochSecond() && timestamp <= Instant.now().getEpochSecond(), "epoch seconds");

        Map<String, String> params = new LinkedHashMap<>();
        event.form().forEach((name, values) -> params.put(name, values.get(0)));
        String signature = event.header("X-Twilio-Signature");
        assertTrue(new RequestValidator(emulator.account().authToken()).validate(receiver.url(path), params, signature));
        assertFalse(new RequestValidator("another token").validate(receiver.url(path), params, signature));
        assertEquals("application/x-www-form-urlencoded", event.header("Content-Type"));

        WebhookDelivery delivery = emulator.webhookDeliveries().get(0);
        assertEquals(receiver.url(path), delivery.url());
        assertEquals("task.created", delivery.eventType());
        assertEquals(204, delivery.status());
    }

    @Test
    void theRestApisTaskChangesEachPostTheirEvent() {
        callbackTo("");
        Task task = Task.creator(ws).create(client);
        Task.updater(ws, task.getSid()).setAttributes("{\"a\":1}").update(client);
        Task.updater(ws, task.getSid()).setAssignmentStatus(Task.Status.CANCELED).setReason("Visitor left").update(client);
        Task other = Task.creator(ws).create(client);
        emulator.routeTask(other.getSid(), "reserved");
        emulator.routeTask(other.getSid(), "assigned");
        Task.updater(ws, other.getSid()).setAssignmentStatus(Task.Status.WRAPPING).update(client);
        Task.updater(ws, other.getSid()).setAssignmentStatus(Task.Status.COMPLETED).setReason("Done").update(client);

        assertEquals(List.of("task.created", "task.updated", "task.canceled", "task.created", "task.wrapup",
                "task.completed"), eventTypes(), "routing (reserved, assigned) posts no task event");
        List<WebhookReceiver.Received> events = events();
        assertEquals("{\"a\":1}", events.get(1).param("TaskAttributes"));
        assertEquals("canceled", events.get(2).param("TaskAssignmentStatus"));
        assertEquals("Visitor left", events.get(2).param("TaskCanceledReason"));
        assertEquals("wrapping", events.get(4).param("TaskAssignmentStatus"));
        assertNull(events.get(4).param("TaskCompletedReason"));
        assertEquals("Done", events.get(5).param("TaskCompletedReason"));
    }

    @Test
    void onlyTheEventsTheFilterNamesArePosted() {
        callbackTo("task.canceled, task.wrapup");
        Task task = Task.creator(ws).create(client);
        Task.updater(ws, task.getSid()).setPriority(5).update(client);
        Task.updater(ws, task.getSid()).setAssignmentStatus(Task.Status.CANCELED).update(client);

        assertEquals(List.of("task.canceled"), eventTypes());
    }

    @Test
    void closingAnInteractionChannelWrapsUpItsAssignedTask() throws Exception {
        callbackTo("task.canceled,task.completed,task.wrapup");
        String conversation = Conversation.creator().create(client).getSid();
        Interaction interaction = Interaction.creator(Map.of("type", "web", "initiated_by", "customer",
                        "properties", Map.of("media_channel_sid", conversation)))
                .setRouting(Map.of("properties", Map.of("workspace_sid", ws, "task_channel_unique_name", "chat",
                        "attributes", Map.of("channelType", "web"))))
                .create(client);
        String taskSid = ((Map<?, ?>) ((Map<?, ?>) interaction.getRouting()).get("properties")).get("sid").toString();
        emulator.routeTask(taskSid, "reserved");
        emulator.routeTask(taskSid, "assigned");
        InteractionChannel channel = list(InteractionChannel.reader(interaction.getSid()).read(client)).get(0);
        // The receiver looks at the conversation when the event arrives, as our webhook does.
        receiver.answer(path, request -> new WebhookReceiver.Answer(200,
                emulator.conversation(conversation).orElseThrow().get("state").toString()));

        InteractionChannel.updater(interaction.getSid(), channel.getSid(), InteractionChannel.UpdateChannelStatus.CLOSED)
                .update(client);

        List<WebhookReceiver.Received> events = events();
        assertEquals(List.of("task.wrapup"), eventTypes());
        assertEquals(taskSid, events.get(0).param("TaskSid"));
        assertEquals("wrapping", events.get(0).param("TaskAssignmentStatus"));
        JsonNode attributes = Json.parse(events.get(0).param("TaskAttributes"));
        assertEquals(conversation, attributes.path("conversationSid").asText());
        assertEquals(interaction.getSid(), attributes.path("flexInteractionSid").asText());
        assertEquals(channel.getSid(), attributes.path("flexInteractionChannelSid").asText());
        assertEquals("closed", lastDelivery().responseBody(), "the conversation was closed before the event went out");
    }

    @Test
    void closingTheChannelOfATaskNobodyAcceptedCancelsIt() {
        callbackTo("task.canceled,task.completed,task.wrapup");
        String conversation = Conversation.creator().create(client).getSid();
        Interaction interaction = Interaction.creator(Map.of("type", "web", "initiated_by", "customer",
                        "properties", Map.of("media_channel_sid", conversation)))
                .setRouting(Map.of("properties", Map.of("workspace_sid", ws, "attributes", Map.of())))
                .create(client);
        InteractionChannel channel = list(InteractionChannel.reader(interaction.getSid()).read(client)).get(0);

        InteractionChannel.updater(interaction.getSid(), channel.getSid(), InteractionChannel.UpdateChannelStatus.CLOSED)
                .update(client);

        assertEquals(List.of("task.canceled"), eventTypes());
        assertEquals("Interaction channel closed", events().get(0).param("TaskCanceledReason"));
    }

    @Test
    void nothingIsPostedWithoutAnEventCallbackUrl() {
        Workspace.updater(ws).setEventsFilter("task.created,task.canceled").update(client);
        Task task = Task.creator(ws).create(client);
        Task.updater(ws, task.getSid()).setAssignmentStatus(Task.Status.CANCELED).update(client);

        assertEquals(List.of(), events());
        assertEquals(List.of(), emulator.webhookDeliveries());
    }

    private WebhookDelivery lastDelivery() {
        List<WebhookDelivery> deliveries = emulator.webhookDeliveries();
        return deliveries.get(deliveries.size() - 1);
    }
}
