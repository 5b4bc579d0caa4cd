package com.flexwebchat.emulator.taskrouter;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.webhooks.WebhookSender;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * TaskRouter for Flex's workspace: its state ({@link TaskRouterWorkspace}), its REST API ({@link TaskRouterApi})
 * and its event callbacks ({@link TaskRouterEvents}). The emulator's facade and the Flex Interactions API reach
 * it through here; resources come out as plain maps, as {@code GET} would answer them. Callers hold the state
 * lock.
 */
public final class TaskRouter {

    /** The task channel a task gets when its creator names none. */
    public static final String DEFAULT_CHANNEL = TaskRouterWorkspace.DEFAULT_CHANNEL;
    /** A task's timeout when its creator gives none, in seconds (24 hours). */
    public static final int DEFAULT_TIMEOUT = TaskRouterTask.DEFAULT_TIMEOUT;

    private final TaskRouterWorkspace workspace;
    private final TaskRouterApi api;

    public TaskRouter(EmulatorAccount account, Clock clock, WebhookSender sender) {
        this.workspace = new TaskRouterWorkspace(account.taskrouterWorkspaceSid(), account.accountSid(), clock.instant());
        this.api = new TaskRouterApi(workspace, new TaskRouterEvents(workspace, sender), clock);
    }

    public void register(Router router) {
        api.register(router);
    }

    // --- for tests -----------------------------------------------------------------------------------------

    /**
     * Creates a worker in the default activity as {@code POST .../Workers} would; a taken name or bad JSON throws
     * {@link IllegalArgumentException}.
     */
    public Map<String, Object> addWorker(String friendlyName, String attributesJson) {
        Objects.requireNonNull(friendlyName, "friendlyName");
        Json.requireJsonArgument(attributesJson);
        try {
            return Json.plainCopy(api.createWorker(friendlyName, attributesJson, null).toResource(true));
        } catch (TwilioError e) { // a taken name
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public Optional<Map<String, Object>> worker(String sid) {
        return workspace.worker(sid).map(w -> Json.plainCopy(w.toResource(true)));
    }

    public Optional<Map<String, Object>> task(String sid) {
        return workspace.task(sid).map(t -> Json.plainCopy(t.toResource(true, api.now())));
    }

    /**
     * Moves a task as TaskRouter's own routing would ({@link TaskRouterTask#route}), posting no event; an unknown
     * task throws {@link IllegalArgumentException}, an impossible move {@link IllegalStateException}.
     */
    public Map<String, Object> routeTask(String taskSid, String assignmentStatus) {
        TaskRouterTask task = workspace.task(taskSid).orElseThrow(() -> new IllegalArgumentException("no task " + taskSid));
        try {
            task.route(TaskRouterTask.Status.of(assignmentStatus), api.now());
        } catch (TwilioError e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return Json.plainCopy(task.toResource(true, api.now()));
    }

    public String activitySid(String friendlyName) {
        return workspace.activityNamed(friendlyName)
                .orElseThrow(() -> new IllegalArgumentException("no activity " + friendlyName)).sid();
    }

    // --- for the Flex Interactions API ---------------------------------------------------------------------

    public String workspaceSid() {
        return workspace.sid;
    }

    /** The workspace's one workflow. */
    public String workflowSid() {
        return workspace.workflowSid();
    }

    /** A task channel by SID or unique name. */
    public Optional<TaskChannel> taskChannel(String sidOrUniqueName) {
        return workspace.channel(sidOrUniqueName);
    }

    /** Creates a pending task (posting {@code task.created}) and returns its SID. */
    public String createTask(String attributes, TaskChannel channel, int priority, int timeout) {
        return api.addTask(new TaskRouterTask(workspace, attributes, channel, priority, timeout, api.now())).sid;
    }

    /**
     * A task as Flex renders the {@code routing} of the interaction that created it: {@code properties} in
     * TaskRouter's event shape (dates in epoch seconds), and no {@code reservation}.
     */
    public Optional<Map<String, Object>> routing(String taskSid) {
        return workspace.task(taskSid).map(task -> routing(task, api.now()));
    }

    /**
     * Ends a task whose work is over: one no agent has accepted yet ({@code pending}, {@code reserved}) is
     * canceled, since it cannot wrap up in TaskRouter's lifecycle; an assigned one wraps up, or completes when
     * {@code complete}; a wrapping one completes when {@code complete}; canceled and completed ones stay. Each
     * move posts its event, as the task's own update would. {@code reason} goes with a cancel or a completion.
     */
    public void endTask(String taskSid, boolean complete, String reason) {
        workspace.task(taskSid).ifPresent(task -> {
            Instant now = api.now();
            switch (task.status) {
                case PENDING, RESERVED -> api.moveTask(task, TaskRouterTask.Status.CANCELED, reason, now);
                case ASSIGNED -> api.moveTask(task, complete ? TaskRouterTask.Status.COMPLETED : TaskRouterTask.Status.WRAPPING,
                        complete ? reason : null, now);
                case WRAPPING -> {
                    if (complete) {
                        api.moveTask(task, TaskRouterTask.Status.COMPLETED, reason, now);
                    }
                }
                default -> { } // canceled and completed are final
            }
        });
    }

    private static Map<String, Object> routing(TaskRouterTask task, Instant now) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sid", task.sid);
        p.put("account_sid", task.workspace.accountSid);
        p.put("workspace_sid", task.workspace.sid);
        p.put("workflow_sid", task.workspace.workflowSid());
        p.put("workflow_name", TaskRouterWorkspace.WORKFLOW_NAME);
        p.put("queue_sid", task.workspace.taskQueueSid());
        p.put("queue_name", TaskRouterWorkspace.TASK_QUEUE_NAME);
        p.put("task_channel_sid", task.channel.sid());
        p.put("task_channel_unique_name", task.channel.uniqueName());
        p.put("assignment_status", task.status.wire());
        p.put("attributes", task.attributes);
        p.put("addons", "{}");
        p.put("priority", task.priority);
        p.put("timeout", task.timeout);
        p.put("reason", task.reason);
        p.put("age", Duration.between(task.dateCreated, now).toSeconds());
        p.put("date_created", task.dateCreated.getEpochSecond());
        p.put("date_updated", task.dateUpdated.getEpochSecond());
        p.put("task_queue_entered_date", task.dateCreated.getEpochSecond());
        Map<String, Object> routing = new LinkedHashMap<>();
        routing.put("reservation", null);
        routing.put("properties", p);
        return routing;
    }
}
