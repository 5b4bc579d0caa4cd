package com.flexwebchat.emulator.taskrouter;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.webhooks.WebhookSender;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.flexwebchat.emulator.http.FormCodec.add;

/**
 * TaskRouter's event callbacks, as Twilio sends them for the workspace
 * (https://www.twilio.com/docs/taskrouter/api/event/reference): a form POST to the workspace's
 * {@code EventCallbackUrl} for each event its {@code EventsFilter} lets through (all when empty), signed like every
 * webhook, queued behind the post-event webhooks so they arrive in the order of the changes they report.
 *
 * <p>Every callback carries {@code EventType}, {@code AccountSid}, {@code WorkspaceSid}, {@code WorkspaceName},
 * {@code EventDescription}, {@code ResourceType}, {@code ResourceSid} and {@code Timestamp}; task events add the
 * task's fields ({@code TaskSid}, {@code TaskAttributes}, {@code TaskAge}, {@code TaskPriority},
 * {@code TaskAssignmentStatus}, {@code TaskChannelSid}, {@code TaskChannelUniqueName}, {@code TaskQueueSid},
 * {@code TaskQueueName}, {@code WorkflowSid}, {@code WorkflowName}), and {@code TaskCanceledReason} or
 * {@code TaskCompletedReason} when the task ended with one.
 *
 * <p>Emulated: {@code task.created}, {@code task.updated} (attributes or priority), {@code task.canceled},
 * {@code task.wrapup} and {@code task.completed}. Reservations, workers' activities, queues and workflows have no
 * events here (routing is not emulated; {@link TaskRouter#routeTask} moves tasks silently), nor a task timing
 * out. Callers hold the state lock; delivery happens on the webhook thread, so the receiver may call the API.
 */
final class TaskRouterEvents {

    /** "Your application should respond to Event Callbacks ... within 15 seconds." */
    static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(15);

    private final TaskRouterWorkspace workspace;
    private final WebhookSender sender;

    TaskRouterEvents(TaskRouterWorkspace workspace, WebhookSender sender) {
        this.workspace = workspace;
        this.sender = sender;
    }

    void taskCreated(TaskRouterTask task, Instant now) {
        fire("task.created", task, "created", now);
    }

    void taskUpdated(TaskRouterTask task, Instant now) {
        fire("task.updated", task, "updated", now);
    }

    /** The event of a task's new assignment status, if that status has one. */
    void taskMoved(TaskRouterTask task, Instant now) {
        switch (task.status) {
            case CANCELED -> fire("task.canceled", task, "canceled", now);
            case WRAPPING -> fire("task.wrapup", task, "wrapping up", now);
            case COMPLETED -> fire("task.completed", task, "completed", now);
            // Reserved and assigned come with reservation events, which are not emulated; pending again likewise.
            default -> { }
        }
    }

    private void fire(String eventType, TaskRouterTask task, String what, Instant now) {
        if (!workspace.posts(eventType)) {
            return;
        }
        Map<String, List<String>> p = new LinkedHashMap<>();
        // TODO(uncertain): the reference lists neither Sid nor TimestampMs, but callbacks carry both (the Event
        //  resource's sid and event_date_ms); the emulator sends them as the events under events/ show them.
        add(p, "Sid", Sids.random("EV"));
        add(p, "AccountSid", workspace.accountSid);
        add(p, "WorkspaceSid", workspace.sid);
        add(p, "WorkspaceName", workspace.friendlyName);
        add(p, "EventType", eventType);
        add(p, "EventDescription", "Task " + task.sid + " " + what);
        add(p, "ResourceType", "Task");
        add(p, "ResourceSid", task.sid);
        add(p, "Timestamp", String.valueOf(now.getEpochSecond()));
        add(p, "TimestampMs", String.valueOf(now.toEpochMilli()));
        add(p, "TaskSid", task.sid);
        add(p, "TaskAttributes", task.attributes);
        add(p, "TaskAge", String.valueOf(Duration.between(task.dateCreated, now).toSeconds()));
        add(p, "TaskPriority", String.valueOf(task.priority));
        add(p, "TaskAssignmentStatus", task.status.wire());
        add(p, "TaskChannelSid", task.channel.sid());
        add(p, "TaskChannelUniqueName", task.channel.uniqueName());
        add(p, "TaskQueueSid", workspace.taskQueueSid());
        add(p, "TaskQueueName", TaskRouterWorkspace.TASK_QUEUE_NAME);
        add(p, "WorkflowSid", workspace.workflowSid());
        add(p, "WorkflowName", TaskRouterWorkspace.WORKFLOW_NAME);
        if (task.status == TaskRouterTask.Status.CANCELED) {
            add(p, "TaskCanceledReason", task.reason);
        } else if (task.status == TaskRouterTask.Status.COMPLETED) {
            add(p, "TaskCompletedReason", task.reason);
        }
        sender.sendLater("POST", workspace.eventCallbackUrl, p, CALLBACK_TIMEOUT);
    }
}
