package com.flexwebchat.emulator.taskrouter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.flexwebchat.emulator.http.ApiRequest;
import com.flexwebchat.emulator.http.ApiResponse;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.http.Paging;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.http.TwilioError;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * TaskRouter v1 ({@code https://taskrouter.twilio.com/v1}) for Flex's workspace: fetching and updating the
 * workspace (its Event Callback URL among others), and workers and tasks (create, fetch, update, list). Routing
 * itself (workflows, queues, reservations) is not emulated; {@link TaskRouter#routeTask} stands in for it.
 * Task changes post the workspace's events ({@link TaskRouterEvents}), whoever makes them: this API, or the Flex
 * Interactions API through {@link TaskRouter}'s {@link #addTask} and {@link #moveTask}.
 *
 * @see <a href="https://www.twilio.com/docs/taskrouter/api">TaskRouter REST API</a>
 */
final class TaskRouterApi {

    private static final String PREFIX = "/taskrouter/v1/Workspaces/{WorkspaceSid}";
    /** "The default is 50, and the maximum is 1000." */
    private static final int MAX_PAGE_SIZE = 1000;
    /** {@code Available}: "Can be true, 1, or yes to return Worker resources that are available". */
    private static final Set<String> TRUTHY = Set.of("true", "1", "yes");

    private final TaskRouterWorkspace workspace;
    private final TaskRouterEvents events;
    private final Clock clock;

    TaskRouterApi(TaskRouterWorkspace workspace, TaskRouterEvents events, Clock clock) {
        this.workspace = workspace;
        this.events = events;
        this.clock = clock;
    }

    void register(Router router) {
        router.add("GET", "/taskrouter/v1/Workspaces/{Sid}", this::fetchWorkspace);
        router.add("POST", "/taskrouter/v1/Workspaces/{Sid}", this::updateWorkspace);
        router.add("GET", PREFIX + "/Workers", this::listWorkers);
        router.add("POST", PREFIX + "/Workers", this::createWorker);
        router.add("GET", PREFIX + "/Workers/{Sid}", this::fetchWorker);
        router.add("POST", PREFIX + "/Workers/{Sid}", this::updateWorker);
        router.add("GET", PREFIX + "/Tasks", this::listTasks);
        router.add("POST", PREFIX + "/Tasks", this::createTask);
        router.add("GET", PREFIX + "/Tasks/{Sid}", this::fetchTask);
        router.add("POST", PREFIX + "/Tasks/{Sid}", this::updateTask);
    }

    /** Creates a worker as {@code POST /Workers} does; {@code activity} {@code null} means the default one. */
    TaskRouterWorker createWorker(String friendlyName, String attributes, TaskRouterActivity activity) {
        requireFreeName(friendlyName, null);
        TaskRouterActivity initial = activity == null ? workspace.defaultActivity() : activity;
        return workspace.addWorker(new TaskRouterWorker(workspace, friendlyName,
                attributes == null ? "{}" : attributes, initial, clock.instant()));
    }

    Instant now() {
        return clock.instant();
    }

    /** Adds a new task to the workspace ({@code task.created}). */
    TaskRouterTask addTask(TaskRouterTask task) {
        workspace.addTask(task);
        events.taskCreated(task, task.dateCreated);
        return task;
    }

    /** Moves a task as a REST update would ({@link TaskRouterTask#updateStatus}), posting the event of its new status. */
    void moveTask(TaskRouterTask task, TaskRouterTask.Status status, String reason, Instant now) {
        task.updateStatus(status, reason, now);
        events.taskMoved(task, now);
    }

    // --- workspace -----------------------------------------------------------------------------------------

    private ApiResponse fetchWorkspace(ApiRequest req) {
        requireWorkspace(req, "Sid");
        return ApiResponse.ok(workspace.toResource());
    }

    /** Validates every parameter first, so a bad one leaves the workspace as it was. */
    private ApiResponse updateWorkspace(ApiRequest req) {
        requireWorkspace(req, "Sid");
        String friendlyName = req.form("FriendlyName");
        String callbackUrl = req.form("EventCallbackUrl");
        if (callbackUrl != null && !callbackUrl.isEmpty() && !TwilioUrls.isAbsoluteHttpUrl(callbackUrl)) {
            // TODO(uncertain): Twilio's code for an unusable callback URL is undocumented (20001 here).
            throw TwilioError.invalidParameter("EventCallbackUrl", "not an absolute http(s) URL: " + callbackUrl);
        }
        TaskRouterActivity defaultActivity = activityParameter(req, "DefaultActivitySid");
        TaskRouterActivity timeoutActivity = activityParameter(req, "TimeoutActivitySid");
        String multiTask = req.form("MultiTaskEnabled");
        if (multiTask != null && !"true".equalsIgnoreCase(multiTask)) {
            // "A multi-tasking Workspace can't be updated to single-tasking unless it is not a Flex Project".
            throw TwilioError.invalidParameter("MultiTaskEnabled", "Flex's workspace must stay multi-tasking");
        }
        String queueOrder = req.form("PrioritizeQueueOrder");
        if (queueOrder != null && !queueOrder.equals("FIFO") && !queueOrder.equals("LIFO")) {
            throw TwilioError.invalidParameter("PrioritizeQueueOrder", "must be FIFO or LIFO");
        }

        if (friendlyName != null && !friendlyName.isEmpty()) {
            workspace.friendlyName = friendlyName;
        }
        if (callbackUrl != null) {
            // TODO(uncertain): the spec makes EventCallbackUrl a URI, so how Twilio turns the callbacks off is
            //  undocumented; the emulator takes an empty value, as Twilio's other URL parameters do.
            workspace.eventCallbackUrl = callbackUrl.isEmpty() ? null : callbackUrl;
        }
        if (req.hasForm("EventsFilter")) {
            // TODO(uncertain): whether Twilio checks the event names is undocumented; the emulator keeps the text.
            String filter = req.form("EventsFilter");
            workspace.eventsFilter = filter == null || filter.isEmpty() ? null : filter;
        }
        if (defaultActivity != null) {
            workspace.defaultActivity(defaultActivity);
        }
        if (timeoutActivity != null) {
            workspace.timeoutActivity(timeoutActivity);
        }
        if (queueOrder != null) {
            workspace.prioritizeQueueOrder = queueOrder;
        }
        workspace.dateUpdated = clock.instant();
        return ApiResponse.ok(workspace.toResource());
    }

    // --- workers -------------------------------------------------------------------------------------------

    private ApiResponse createWorker(ApiRequest req) {
        requireWorkspace(req, "WorkspaceSid");
        TaskRouterWorker worker = createWorker(req.requiredForm("FriendlyName"), jsonParameter(req, "Attributes"),
                activityParameter(req, "ActivitySid"));
        return ApiResponse.created(worker.toResource(true));
    }

    private ApiResponse fetchWorker(ApiRequest req) {
        return ApiResponse.ok(worker(req).toResource(true));
    }

    private ApiResponse updateWorker(ApiRequest req) {
        TaskRouterWorker worker = worker(req);
        String friendlyName = req.form("FriendlyName");
        String attributes = jsonParameter(req, "Attributes");
        TaskRouterActivity activity = activityParameter(req, "ActivitySid");
        Instant now = clock.instant();
        if (friendlyName != null && !friendlyName.isEmpty()) {
            requireFreeName(friendlyName, worker);
            worker.friendlyName = friendlyName;
        }
        if (attributes != null) {
            worker.attributes = attributes;
        }
        if (activity != null) {
            worker.changeActivity(activity, now);
        }
        worker.dateUpdated = now;
        return ApiResponse.ok(worker.toResource(true));
    }

    private ApiResponse listWorkers(ApiRequest req) {
        requireWorkspace(req, "WorkspaceSid");
        rejectUnsupported(req, "Ordering");
        String friendlyName = req.query("FriendlyName");
        String available = req.query("Available");
        String activitySid = req.query("ActivitySid");
        String activityName = req.query("ActivityName");
        boolean inQueue = inTheQueue(req);
        String expressionText = req.query("TargetWorkersExpression");
        TargetWorkersExpression expression = expressionText == null || expressionText.isEmpty() ? null
                : TargetWorkersExpression.parse(expressionText, "TargetWorkersExpression");
        List<TaskRouterWorker> matching = new ArrayList<>();
        for (TaskRouterWorker w : workspace.workers()) {
            boolean matches = inQueue
                    && (friendlyName == null || w.friendlyName.equalsIgnoreCase(friendlyName))
                    && (available == null || TRUTHY.contains(available.toLowerCase(Locale.ROOT)) == w.activity.available())
                    && (activitySid == null || w.activity.sid().equals(activitySid))
                    && (activityName == null || w.activity.friendlyName().equals(activityName))
                    && (expression == null || expression.matches(workerLookup(w)));
            if (matches) {
                matching.add(w);
            }
        }
        return ApiResponse.ok(Paging.page("workers", workspace.url() + "/Workers",
                List.of("FriendlyName", "Available", "ActivitySid", "ActivityName", "TargetWorkersExpression",
                        "TaskQueueSid", "TaskQueueName"),
                MAX_PAGE_SIZE, req, matching, w -> w.toResource(false)));
    }

    /** Expression names: the documented worker fields, else paths into the attributes. */
    private static Function<String, Optional<JsonNode>> workerLookup(TaskRouterWorker w) {
        return name -> switch (name) {
            case "sid" -> Optional.of(TextNode.valueOf(w.sid));
            case "friendly_name" -> Optional.of(TextNode.valueOf(w.friendlyName));
            case "activity_sid" -> Optional.of(TextNode.valueOf(w.activity.sid()));
            case "activity_name" -> Optional.of(TextNode.valueOf(w.activity.friendlyName()));
            default -> TargetWorkersExpression.at(parsed(w.attributes), name);
        };
    }

    // --- tasks ---------------------------------------------------------------------------------------------

    private ApiResponse createTask(ApiRequest req) {
        requireWorkspace(req, "WorkspaceSid");
        String workflowSid = req.form("WorkflowSid");
        if (workflowSid != null && !workflowSid.equals(workspace.workflowSid())) {
            // "If there is only one Workflow defined for the Workspace ... this parameter is optional."
            throw TwilioError.invalidParameter("WorkflowSid", "no workflow " + workflowSid + " in workspace " + workspace.sid);
        }
        String channelName = Optional.ofNullable(req.form("TaskChannel")).orElse(TaskRouterWorkspace.DEFAULT_CHANNEL);
        TaskChannel channel = workspace.channel(channelName)
                .orElseThrow(() -> TwilioError.invalidParameter("TaskChannel", "no task channel " + channelName));
        int timeout = intParameter(req, "Timeout", TaskRouterTask.DEFAULT_TIMEOUT);
        if (timeout < 1 || timeout > TaskRouterTask.MAX_TIMEOUT) {
            throw TwilioError.invalidParameter("Timeout", "must be between 1 and " + TaskRouterTask.MAX_TIMEOUT + " seconds");
        }
        String attributes = Optional.ofNullable(jsonParameter(req, "Attributes")).orElse("{}");
        TaskRouterTask task = addTask(new TaskRouterTask(workspace, attributes, channel,
                intParameter(req, "Priority", 0), timeout, clock.instant()));
        return ApiResponse.created(task.toResource(true, clock.instant()));
    }

    private ApiResponse fetchTask(ApiRequest req) {
        return ApiResponse.ok(task(req).toResource(true, clock.instant()));
    }

    private ApiResponse updateTask(ApiRequest req) {
        TaskRouterTask task = task(req);
        String attributes = jsonParameter(req, "Attributes");
        String status = req.form("AssignmentStatus");
        boolean priority = req.hasForm("Priority");
        int newPriority = intParameter(req, "Priority", task.priority);
        Instant now = clock.instant();
        if (status != null) {
            // TODO(uncertain): "Reason ... is required only if the Task is canceled or completed" reads as optional
            //  in practice; the emulator doesn't insist on it.
            task.updateStatus(TaskRouterTask.Status.of(status), req.form("Reason"), now);
        }
        if (attributes != null) {
            task.attributes = attributes;
        }
        if (priority) {
            task.priority = newPriority;
        }
        task.dateUpdated = now;
        if (attributes != null || priority) {
            events.taskUpdated(task, now);
        }
        if (status != null) {
            events.taskMoved(task, now);
        }
        return ApiResponse.ok(task.toResource(true, now));
    }

    private ApiResponse listTasks(ApiRequest req) {
        requireWorkspace(req, "WorkspaceSid");
        List<String> statuses = req.queryValues("AssignmentStatus");
        statuses.forEach(TaskRouterTask.Status::of); // validates
        String priority = req.query("Priority");
        String workflowSid = req.query("WorkflowSid");
        String workflowName = req.query("WorkflowName");
        boolean inQueue = inTheQueue(req);
        String expressionText = req.query("EvaluateTaskAttributes");
        TargetWorkersExpression expression = expressionText == null || expressionText.isEmpty() ? null
                : TargetWorkersExpression.parse(expressionText, "EvaluateTaskAttributes");
        boolean withAddons = "true".equals(req.query("HasAddons"));
        List<TaskRouterTask> matching = new ArrayList<>();
        for (TaskRouterTask t : workspace.tasks()) {
            boolean matches = inQueue && !withAddons
                    && (statuses.isEmpty() || statuses.contains(t.status.wire()))
                    && (priority == null || String.valueOf(t.priority).equals(priority))
                    && (workflowSid == null || workflowSid.equals(workspace.workflowSid()))
                    && (workflowName == null || workflowName.equals(TaskRouterWorkspace.WORKFLOW_NAME))
                    && (expression == null || expression.matches(name -> TargetWorkersExpression.at(parsed(t.attributes), name)));
            if (matches) {
                matching.add(t);
            }
        }
        matching.sort(taskOrdering(req.query("Ordering")));
        Instant now = clock.instant();
        return ApiResponse.ok(Paging.page("tasks", workspace.url() + "/Tasks",
                List.of("Priority", "AssignmentStatus", "WorkflowSid", "WorkflowName", "TaskQueueSid", "TaskQueueName",
                        "EvaluateTaskAttributes", "Ordering", "HasAddons"),
                MAX_PAGE_SIZE, req, matching, t -> t.toResource(false, now)));
    }

    /**
     * {@code Ordering}: "{@code Attribute:Order}, where Attribute can be either DateCreated, Priority, or
     * VirtualStartTime and Order can be either asc or desc"; by default ascending DateCreated.
     */
    private static Comparator<TaskRouterTask> taskOrdering(String ordering) {
        if (ordering == null || ordering.isEmpty()) {
            return Comparator.comparing(t -> t.dateCreated);
        }
        String[] parts = ordering.split(":", 2);
        Comparator<TaskRouterTask> by = switch (parts[0]) {
            case "DateCreated", "VirtualStartTime" -> Comparator.comparing(t -> t.dateCreated);
            case "Priority" -> Comparator.comparingInt(t -> t.priority);
            default -> throw TwilioError.invalidParameter("Ordering", "unknown attribute " + parts[0]);
        };
        String order = parts.length > 1 ? parts[1] : "asc";
        if (!order.equals("asc") && !order.equals("desc")) {
            throw TwilioError.invalidParameter("Ordering", "order must be asc or desc");
        }
        return order.equals("desc") ? by.reversed() : by;
    }

    // --- lookups and parameters ----------------------------------------------------------------------------

    /** The one workspace: any other SID is an unknown resource. */
    private void requireWorkspace(ApiRequest req, String param) {
        if (!workspace.sid.equals(req.pathParam(param))) {
            throw TwilioError.notFound(req.resource());
        }
    }

    private TaskRouterWorker worker(ApiRequest req) {
        requireWorkspace(req, "WorkspaceSid");
        return workspace.worker(req.pathParam("Sid")).orElseThrow(() -> TwilioError.notFound(req.resource()));
    }

    private TaskRouterTask task(ApiRequest req) {
        requireWorkspace(req, "WorkspaceSid");
        return workspace.task(req.pathParam("Sid")).orElseThrow(() -> TwilioError.notFound(req.resource()));
    }

    /** {@code TaskQueueSid}/{@code TaskQueueName}: the one queue takes everything, any other nothing. */
    private boolean inTheQueue(ApiRequest req) {
        String sid = req.query("TaskQueueSid");
        String name = req.query("TaskQueueName");
        return (sid == null || sid.equals(workspace.taskQueueSid()))
                && (name == null || name.equals(TaskRouterWorkspace.TASK_QUEUE_NAME));
    }

    private TaskRouterActivity activityParameter(ApiRequest req, String name) {
        String sid = req.form(name);
        if (sid == null || sid.isEmpty()) {
            return null;
        }
        // TODO(uncertain): Twilio's exact answer to an unknown activity is undocumented.
        return workspace.activity(sid).orElseThrow(() -> TwilioError.invalidParameter(name,
                "no activity " + sid + " in workspace " + workspace.sid));
    }

    /**
     * Friendly names are unique per workspace, case-insensitively. The wording follows what TaskRouter answers for
     * a taken queue name, "Queue named X already exists for workspace WS... for account AC..." with 400 / 20001
     * (https://github.com/nash-md/twilio-contact-center/issues/23); that workers get the same is our reading.
     */
    private void requireFreeName(String friendlyName, TaskRouterWorker self) {
        Optional<TaskRouterWorker> taken = workspace.workerNamed(friendlyName);
        if (taken.isPresent() && taken.get() != self) {
            throw new TwilioError(400, 20001, "Worker named " + friendlyName + " already exists for workspace "
                    + workspace.sid + " for account " + workspace.accountSid);
        }
    }

    private static void rejectUnsupported(ApiRequest req, String name) {
        if (req.query(name) != null) {
            throw TwilioError.invalidParameter(name, "not supported by the emulator");
        }
    }

    private static String jsonParameter(ApiRequest req, String name) {
        String value = req.form(name);
        if (value != null) {
            Json.requireJsonParameter(name, value);
        }
        return value;
    }

    private static int intParameter(ApiRequest req, String name, int defaultValue) {
        String raw = req.form(name);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw TwilioError.invalidParameter(name, "not an integer: " + raw);
        }
    }

    /** Attributes are validated on write; a value that somehow isn't JSON matches nothing. */
    private static JsonNode parsed(String attributes) {
        try {
            return Json.parse(attributes);
        } catch (JsonProcessingException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
