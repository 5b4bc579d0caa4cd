package com.flexwebchat.emulator.taskrouter;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;
import com.flexwebchat.emulator.http.TwilioError;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A TaskRouter Task and its assignment status.
 *
 * <p>The states and who moves a task between them, per
 * <a href="https://www.twilio.com/docs/taskrouter/lifecycle-task-state">Lifecycle of a Task</a>:
 * <pre>
 *   pending  -> reserved   TaskRouter, when a workflow finds a worker (a Reservation is created)
 *   reserved -> pending    TaskRouter, when the reservation is rejected or times out
 *   reserved -> assigned   TaskRouter, when the reservation is accepted
 *   pending, reserved -> canceled    REST ("canceled, to cancel a Task that is currently pending or reserved")
 *   assigned -> wrapping             REST
 *   assigned, wrapping -> completed  REST ("An assigned Task won't move to canceled")
 * </pre>
 * {@code canceled} and {@code completed} are final. Reservations are not emulated: tests take the TaskRouter steps
 * with {@link TaskRouter#routeTask}. Twilio deletes a finished task five minutes later; the emulator keeps it.
 */
final class TaskRouterTask {

    enum Status {
        PENDING, RESERVED, ASSIGNED, CANCELED, COMPLETED, WRAPPING;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String wire) {
            for (Status status : values()) {
                if (status.wire().equals(wire)) {
                    return status;
                }
            }
            throw TwilioError.invalidParameter("AssignmentStatus",
                    "must be one of pending, reserved, assigned, canceled, completed, wrapping");
        }
    }

    /** "The default value is 24 hours (86,400 seconds)." */
    static final int DEFAULT_TIMEOUT = 86_400;
    /** "Can be up to a maximum of 2 weeks (1,209,600 seconds)." */
    static final int MAX_TIMEOUT = 1_209_600;

    final String sid = Sids.random("WT");
    final TaskRouterWorkspace workspace;
    final Instant dateCreated;
    final TaskChannel channel;
    final int timeout;
    String attributes;
    int priority;
    Status status = Status.PENDING;
    String reason;
    Instant dateUpdated;

    TaskRouterTask(TaskRouterWorkspace workspace, String attributes, TaskChannel channel, int priority,
                   int timeout, Instant now) {
        this.workspace = workspace;
        this.attributes = attributes;
        this.channel = channel;
        this.priority = priority;
        this.timeout = timeout;
        this.dateCreated = now;
        this.dateUpdated = now;
    }

    /** A transition the REST API may ask for ({@code AssignmentStatus} on update). */
    void updateStatus(Status next, String reason, Instant now) {
        Set<Status> from = switch (next) {
            case CANCELED -> EnumSet.of(Status.PENDING, Status.RESERVED);
            case WRAPPING -> EnumSet.of(Status.ASSIGNED);
            case COMPLETED -> EnumSet.of(Status.ASSIGNED, Status.WRAPPING);
            // pending/reserved/assigned are TaskRouter's own moves, made through reservations.
            default -> EnumSet.noneOf(Status.class);
        };
        move(next, from, now);
        if (reason != null) {
            this.reason = reason;
        }
    }

    /** A transition TaskRouter makes itself: a reservation created, accepted, rejected or timed out. */
    void route(Status next, Instant now) {
        Set<Status> from = switch (next) {
            case RESERVED -> EnumSet.of(Status.PENDING);
            case ASSIGNED, PENDING -> EnumSet.of(Status.RESERVED);
            default -> EnumSet.noneOf(Status.class);
        };
        move(next, from, now);
    }

    private void move(Status next, Set<Status> allowedFrom, Instant now) {
        if (!allowedFrom.contains(status)) {
            // TODO(uncertain): Twilio's code and wording for a refused transition are undocumented; 400 / 20001 is
            //  what TaskRouter answers for other invalid updates (see TwilioError).
            throw new TwilioError(400, 20001, "Task " + sid + " cannot move from '" + status.wire() + "' to '"
                    + next.wire() + "'");
        }
        status = next;
        dateUpdated = now;
    }

    String url() {
        return workspace.url() + "/Tasks/" + sid;
    }

    /** The {@code taskrouter.v1.workspace.task} resource; lists leave {@code attributes} out, as for workers. */
    Map<String, Object> toResource(boolean withAttributes, Instant now) {
        String url = url();
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("reservations", url + "/Reservations");
        links.put("workspace", workspace.url());
        links.put("workflow", workspace.url() + "/Workflows/" + workspace.workflowSid());
        links.put("task_queue", workspace.url() + "/TaskQueues/" + workspace.taskQueueSid());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", workspace.accountSid);
        r.put("age", Duration.between(dateCreated, now).toSeconds());
        r.put("assignment_status", status.wire());
        r.put("attributes", withAttributes ? attributes : null);
        r.put("addons", "{}");
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateUpdated));
        r.put("task_queue_entered_date", Timestamps.format(dateCreated));
        r.put("priority", priority);
        r.put("reason", reason);
        r.put("sid", sid);
        r.put("task_queue_sid", workspace.taskQueueSid());
        r.put("task_queue_friendly_name", TaskRouterWorkspace.TASK_QUEUE_NAME);
        r.put("task_channel_sid", channel.sid());
        r.put("task_channel_unique_name", channel.uniqueName());
        r.put("timeout", timeout);
        r.put("workflow_sid", workspace.workflowSid());
        r.put("workflow_friendly_name", TaskRouterWorkspace.WORKFLOW_NAME);
        r.put("workspace_sid", workspace.sid);
        r.put("url", url);
        r.put("links", links);
        r.put("virtual_start_time", Timestamps.format(dateCreated));
        r.put("ignore_capacity", null);
        r.put("routing_target", null);
        return r;
    }
}
