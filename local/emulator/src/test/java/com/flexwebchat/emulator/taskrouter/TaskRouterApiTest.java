package com.flexwebchat.emulator.taskrouter;

import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.testing.Clients;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.taskrouter.v1.Workspace;
import com.twilio.rest.taskrouter.v1.workspace.Task;
import com.twilio.rest.taskrouter.v1.workspace.Worker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static com.flexwebchat.emulator.testing.Clients.list;
import static com.flexwebchat.emulator.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TaskRouter v1 in Flex's workspace, through twilio-java. Each test gets a fresh emulator (an empty workspace). */
class TaskRouterApiTest {

    private TwilioEmulator emulator;
    private TwilioRestClient client;
    private String ws;

    @BeforeEach
    void start() {
        emulator = TwilioEmulator.start(0);
        client = Clients.sdk(emulator);
        ws = emulator.account().taskrouterWorkspaceSid();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void theFlexWorkspace() {
        Workspace workspace = Workspace.fetcher(ws).fetch(client);

        assertEquals("Flex Task Assignment", workspace.getFriendlyName());
        assertEquals(emulator.activitySid("Offline"), workspace.getDefaultActivitySid());
        assertEquals("https://taskrouter.twilio.com/v1/Workspaces/" + ws, workspace.getUrl().toString());
        assertError(404, 20404, () -> Workspace.fetcher(Sids.random("WS")).fetch(client));
    }

    @Test
    void updatesTheWorkspacesEventCallbackAndSettings() {
        Workspace updated = Workspace.updater(ws).setEventCallbackUrl("https://api.example.com/webhooks/taskrouter")
                .setEventsFilter("task.canceled,task.completed,task.wrapup").setFriendlyName("Support")
                .setDefaultActivitySid(emulator.activitySid("Available"))
                .setTimeoutActivitySid(emulator.activitySid("Break"))
                .setPrioritizeQueueOrder(Workspace.QueueOrder.LIFO).setMultiTaskEnabled(true).update(client);

        assertEquals("https://api.example.com/webhooks/taskrouter", updated.getEventCallbackUrl().toString());
        assertEquals("task.canceled,task.completed,task.wrapup", updated.getEventsFilter());
        assertEquals("Support", updated.getFriendlyName());
        assertEquals("Available", updated.getDefaultActivityName());
        assertEquals("Break", updated.getTimeoutActivityName());
        assertEquals(Workspace.QueueOrder.LIFO, updated.getPrioritizeQueueOrder());
        Workspace fetched = Workspace.fetcher(ws).fetch(client);
        assertEquals("https://api.example.com/webhooks/taskrouter", fetched.getEventCallbackUrl().toString());
        assertEquals("task.canceled,task.completed,task.wrapup", fetched.getEventsFilter());
        assertEquals("Available", Worker.creator(ws, "New").create(client).getActivityName(), "new workers start in the default activity");

        // A bad parameter changes nothing, the good ones with it included.
        assertError(400, 20001, () -> Workspace.updater(ws).setFriendlyName("Other").setEventCallbackUrl("/webhooks/taskrouter").update(client));
        assertError(400, 20001, () -> Workspace.updater(ws).setMultiTaskEnabled(false).update(client));
        assertError(400, 20001, () -> Workspace.updater(ws).setDefaultActivitySid(Sids.random("WA")).update(client));
        assertError(404, 20404, () -> Workspace.updater(Sids.random("WS")).setFriendlyName("x").update(client));
        assertEquals("Support", Workspace.fetcher(ws).fetch(client).getFriendlyName());

        // Empty values turn the callbacks off (outside the spec, whose EventCallbackUrl is a URI: see updateWorkspace).
        Workspace cleared = Workspace.updater(ws).setEventCallbackUrl("").setEventsFilter("").update(client);
        assertNull(cleared.getEventCallbackUrl());
        assertNull(cleared.getEventsFilter());
    }

    @Test
    void workersCrud() {
        Worker ann = Worker.creator(ws, "Ann").setAttributes("{\"contact_uri\":\"client:ann\"}").create(client);

        assertTrue(Sids.isSid("WK", ann.getSid()));
        assertEquals("Offline", ann.getActivityName());
        assertFalse(ann.getAvailable());
        assertEquals("{\"contact_uri\":\"client:ann\"}", ann.getAttributes());

        Worker updated = Worker.updater(ws, ann.getSid()).setFriendlyName("Ann B")
                .setAttributes("{\"routing\":{\"skills\":[\"web\"]}}")
                .setActivitySid(emulator.activitySid("Available")).update(client);
        assertEquals("Ann B", updated.getFriendlyName());
        assertTrue(updated.getAvailable());
        assertEquals("Available", Worker.fetcher(ws, ann.getSid()).fetch(client).getActivityName());
        assertEquals("{\"routing\":{\"skills\":[\"web\"]}}", emulator.worker(ann.getSid()).orElseThrow().get("attributes"));

        // "Friendly names are case insensitive, and unique within the TaskRouter Workspace."
        assertError(400, 20001, () -> Worker.creator(ws, "ann b").create(client));
        assertError(400, 20001, () -> Worker.creator(ws, "Bob").setAttributes("{oops").create(client));
        assertError(400, 20001, () -> Worker.creator(ws, "Bob").setActivitySid(Sids.random("WA")).create(client));
        assertError(404, 20404, () -> Worker.fetcher(ws, Sids.random("WK")).fetch(client));
    }

    @Test
    void listsShowAttributesOnlyOnSingleResources() {
        String sid = (String) emulator.addWorker("Cy", "{\"team\":\"a\"}").get("sid");

        Worker listed = list(Worker.reader(ws).read(client)).get(0);

        assertEquals(sid, listed.getSid());
        assertNull(listed.getAttributes());
        assertEquals("{\"team\":\"a\"}", Worker.fetcher(ws, sid).fetch(client).getAttributes());
    }

    @Test
    void targetWorkersExpressionPicksWorkersByAttributes() {
        emulator.addWorker("Ann", "{\"team\":\"web\",\"routing\":{\"level\":\"senior\",\"seats\":2}}");
        emulator.addWorker("Bob", "{\"team\":\"web\",\"routing\":{\"level\":\"junior\"}}");
        emulator.addWorker("Cy", "{\"team\":\"voice\"}");

        assertEquals(List.of("Ann", "Bob"), names("team == \"web\""));
        assertEquals(List.of("Ann"), names("team == 'web' AND routing.level == 'senior'"));
        assertEquals(List.of("Ann"), names("routing.level == \"senior\" and routing.seats == 2"));
        assertEquals(List.of("Cy"), names("friendly_name == 'Cy'"));
        assertEquals(List.of(), names("routing.level == 'principal'"));
        assertEquals(List.of(), names("nothing.here == 'x'"));
        assertEquals(List.of("Ann", "Bob", "Cy"), names("1 == 1"));
        assertError(400, 20001, () -> names("team == 'web' OR team == 'voice'"));
        assertError(400, 20001, () -> names("team != 'web'"));
    }

    @Test
    void friendlyNameAndAvailableFilters() {
        String ann = (String) emulator.addWorker("Ann", null).get("sid");
        emulator.addWorker("Bob", null);
        Worker.updater(ws, ann).setActivitySid(emulator.activitySid("Available")).update(client);

        assertEquals(List.of("Ann"), sorted(list(Worker.reader(ws).setAvailable("true").read(client))));
        assertEquals(List.of("Ann"), sorted(list(Worker.reader(ws).setAvailable("yes").read(client))));
        // "false, or any value returns the Worker resources that are not available"
        assertEquals(List.of("Bob"), sorted(list(Worker.reader(ws).setAvailable("nope").read(client))));
        assertEquals(List.of("Bob"), sorted(list(Worker.reader(ws).setFriendlyName("bob").read(client))));
        assertEquals(List.of("Ann"), sorted(list(Worker.reader(ws).setAvailable("1")
                .setTargetWorkersExpression("friendly_name == 'Ann'").read(client))));
    }

    @Test
    void taskLifecycle() {
        Task task = Task.creator(ws).setAttributes("{\"channelType\":\"web\",\"conversationSid\":\"CH1\"}")
                .setTaskChannel("chat").create(client);

        assertTrue(Sids.isSid("WT", task.getSid()));
        assertEquals(Task.Status.PENDING, task.getAssignmentStatus());
        assertEquals("chat", task.getTaskChannelUniqueName());
        assertEquals(86_400, task.getTimeout());
        assertEquals("Assign to Anyone", task.getWorkflowFriendlyName());

        // pending -> reserved -> assigned are TaskRouter's moves (a reservation created, then accepted).
        assertError(400, 20001, () -> update(task, Task.Status.ASSIGNED));
        assertError(400, 20001, () -> update(task, Task.Status.COMPLETED));
        emulator.routeTask(task.getSid(), "reserved");
        assertEquals("assigned", emulator.routeTask(task.getSid(), "assigned").get("assignment_status"));

        // "An assigned Task won't move to canceled."
        assertError(400, 20001, () -> update(task, Task.Status.CANCELED));
        assertEquals(Task.Status.WRAPPING, update(task, Task.Status.WRAPPING).getAssignmentStatus());
        Task completed = Task.updater(ws, task.getSid()).setAssignmentStatus(Task.Status.COMPLETED)
                .setReason("chat ended").update(client);
        assertEquals(Task.Status.COMPLETED, completed.getAssignmentStatus());
        assertEquals("chat ended", completed.getReason());
        assertError(400, 20001, () -> update(task, Task.Status.WRAPPING));
        assertEquals("completed", emulator.task(task.getSid()).orElseThrow().get("assignment_status"));
        assertThrows(IllegalStateException.class, () -> emulator.routeTask(task.getSid(), "pending"));
    }

    @Test
    void pendingAndReservedTasksCanBeCanceled() {
        Task pending = Task.creator(ws).create(client);
        Task reserved = Task.creator(ws).create(client);
        emulator.routeTask(reserved.getSid(), "reserved");

        assertEquals(Task.Status.CANCELED, update(pending, Task.Status.CANCELED).getAssignmentStatus());
        assertEquals(Task.Status.CANCELED, update(reserved, Task.Status.CANCELED).getAssignmentStatus());
        assertError(400, 20001, () -> update(pending, Task.Status.CANCELED));
    }

    @Test
    void listsTasksByStatusAndAttributes() {
        Task a = Task.creator(ws).setAttributes("{\"channelType\":\"web\"}").setPriority(5).create(client);
        Task b = Task.creator(ws).setAttributes("{\"channelType\":\"sms\"}").create(client);
        update(b, Task.Status.CANCELED);

        assertEquals(List.of(a.getSid()), sids(list(Task.reader(ws).setAssignmentStatus("pending").read(client))));
        assertEquals(List.of(b.getSid(), a.getSid()), sids(list(Task.reader(ws)
                .setAssignmentStatus(List.of("pending", "canceled")).setOrdering("Priority:asc").read(client))));
        assertEquals(List.of(b.getSid()), sids(list(Task.reader(ws)
                .setEvaluateTaskAttributes("channelType == 'sms'").read(client))));
        assertNull(list(Task.reader(ws).read(client)).get(0).getAttributes());
        assertError(400, 20001, () -> Task.creator(ws).setTaskChannel("carrier-pigeon").create(client));
        assertError(400, 20001, () -> Task.creator(ws).setWorkflowSid(Sids.random("WW")).create(client));
        assertTrue(emulator.contractViolations().isEmpty(), emulator.contractViolations().toString());
    }

    private Task update(Task task, Task.Status status) {
        return Task.updater(ws, task.getSid()).setAssignmentStatus(status).update(client);
    }

    private List<String> names(String expression) {
        return sorted(list(Worker.reader(ws).setTargetWorkersExpression(expression).read(client)));
    }

    private static List<String> sorted(List<Worker> workers) {
        return workers.stream().map(Worker::getFriendlyName).sorted().collect(Collectors.toList());
    }

    private static List<String> sids(List<Task> tasks) {
        return tasks.stream().map(Task::getSid).collect(Collectors.toList());
    }
}
