package com.flexwebchat.emulator.taskrouter;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;
import com.flexwebchat.emulator.http.TwilioUrls;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Flex's TaskRouter workspace ("Flex Task Assignment") with what a new Flex account provisions in it: the
 * activities {@code Offline} (the default for new workers), {@code Available}, {@code Unavailable} and
 * {@code Break}; the task channels {@code default}, {@code voice}, {@code chat}, {@code sms}, {@code video} and
 * {@code email}; one workflow ("Assign to Anyone") feeding one queue ("Everyone"). Those SIDs are stable, derived
 * from the workspace SID. Callers hold the emulator's state lock.
 *
 * @see <a href="https://www.twilio.com/docs/taskrouter/api/workspace">Workspace resource</a>
 */
final class TaskRouterWorkspace {

    static final String FRIENDLY_NAME = "Flex Task Assignment";
    static final String WORKFLOW_NAME = "Assign to Anyone";
    static final String TASK_QUEUE_NAME = "Everyone";
    static final String DEFAULT_CHANNEL = "default";

    final String sid;
    final String accountSid;
    final Instant dateCreated;
    Instant dateUpdated;
    String friendlyName = FRIENDLY_NAME;
    /** Where TaskRouter posts its events ({@link TaskRouterEvents}); {@code null}: nowhere. */
    String eventCallbackUrl;
    /** Comma-separated event types to post; {@code null} or empty: every event. */
    String eventsFilter;
    String prioritizeQueueOrder = "FIFO";
    private TaskRouterActivity defaultActivity;
    private TaskRouterActivity timeoutActivity;
    private final Map<String, TaskRouterActivity> activities = new LinkedHashMap<>();
    private final List<TaskChannel> channels = new ArrayList<>();
    private final Map<String, TaskRouterWorker> workers = new LinkedHashMap<>();
    private final Map<String, TaskRouterTask> tasks = new LinkedHashMap<>();

    TaskRouterWorkspace(String sid, String accountSid, Instant now) {
        this.sid = sid;
        this.accountSid = accountSid;
        this.dateCreated = now;
        this.dateUpdated = now;
        addActivity("Offline", false);
        addActivity("Available", true);
        addActivity("Unavailable", false);
        addActivity("Break", false);
        for (String name : List.of(DEFAULT_CHANNEL, "voice", "chat", "sms", "video", "email")) {
            channels.add(new TaskChannel(derived("TC", name), name));
        }
        defaultActivity = activityNamed("Offline").orElseThrow();
        timeoutActivity = defaultActivity;
    }

    /** The activity new workers start in ({@code DefaultActivitySid}); {@code Offline} unless changed. */
    TaskRouterActivity defaultActivity() {
        return defaultActivity;
    }

    void defaultActivity(TaskRouterActivity activity) {
        defaultActivity = activity;
    }

    /** The activity a worker gets when a reservation times out ({@code TimeoutActivitySid}). */
    TaskRouterActivity timeoutActivity() {
        return timeoutActivity;
    }

    void timeoutActivity(TaskRouterActivity activity) {
        timeoutActivity = activity;
    }

    /**
     * Whether the workspace posts {@code eventType} to its Event Callback URL: only with a URL, and then every
     * event unless {@code EventsFilter} names some ("TaskRouter will call event_callback_url only when" one of
     * them happens).
     */
    boolean posts(String eventType) {
        if (eventCallbackUrl == null) {
            return false;
        }
        if (eventsFilter == null || eventsFilter.isBlank()) {
            return true;
        }
        for (String filtered : eventsFilter.split(",")) {
            if (filtered.trim().equals(eventType)) {
                return true;
            }
        }
        return false;
    }

    Optional<TaskRouterActivity> activity(String sid) {
        return Optional.ofNullable(activities.get(sid));
    }

    Optional<TaskRouterActivity> activityNamed(String friendlyName) {
        return activities.values().stream().filter(a -> a.friendlyName().equals(friendlyName)).findFirst();
    }

    /** A channel by SID or unique name (unique names are matched case-insensitively, like Twilio's). */
    Optional<TaskChannel> channel(String sidOrUniqueName) {
        return channels.stream()
                .filter(c -> c.sid().equals(sidOrUniqueName) || c.uniqueName().equalsIgnoreCase(sidOrUniqueName))
                .findFirst();
    }

    String workflowSid() {
        return derived("WW", WORKFLOW_NAME);
    }

    String taskQueueSid() {
        return derived("WQ", TASK_QUEUE_NAME);
    }

    TaskRouterWorker addWorker(TaskRouterWorker worker) {
        workers.put(worker.sid, worker);
        return worker;
    }

    Optional<TaskRouterWorker> worker(String sid) {
        return Optional.ofNullable(workers.get(sid));
    }

    /** "Friendly names are case insensitive, and unique within the TaskRouter Workspace." */
    Optional<TaskRouterWorker> workerNamed(String friendlyName) {
        String wanted = friendlyName.toLowerCase(Locale.ROOT);
        return workers.values().stream().filter(w -> w.friendlyName.toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    List<TaskRouterWorker> workers() {
        return List.copyOf(workers.values());
    }

    TaskRouterTask addTask(TaskRouterTask task) {
        tasks.put(task.sid, task);
        return task;
    }

    Optional<TaskRouterTask> task(String sid) {
        return Optional.ofNullable(tasks.get(sid));
    }

    List<TaskRouterTask> tasks() {
        return List.copyOf(tasks.values());
    }

    String url() {
        return TwilioUrls.TASKROUTER + "/v1/Workspaces/" + sid;
    }

    /** The {@code taskrouter.v1.workspace} resource. */
    Map<String, Object> toResource() {
        String url = url();
        Map<String, Object> links = new LinkedHashMap<>();
        for (String sub : List.of("Activities", "Events", "Tasks", "TaskQueues", "Workers", "Workflows",
                "TaskChannels", "Statistics", "RealTimeStatistics", "CumulativeStatistics")) {
            links.put(snakeCase(sub), url + "/" + sub);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", accountSid);
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_updated", Timestamps.format(dateUpdated));
        r.put("default_activity_name", defaultActivity.friendlyName());
        r.put("default_activity_sid", defaultActivity.sid());
        r.put("event_callback_url", eventCallbackUrl);
        r.put("events_filter", eventsFilter);
        r.put("friendly_name", friendlyName);
        r.put("multi_task_enabled", true);
        r.put("sid", sid);
        r.put("timeout_activity_name", timeoutActivity.friendlyName());
        r.put("timeout_activity_sid", timeoutActivity.sid());
        r.put("prioritize_queue_order", prioritizeQueueOrder);
        r.put("url", url);
        r.put("links", links);
        return r;
    }

    private void addActivity(String name, boolean available) {
        TaskRouterActivity activity = new TaskRouterActivity(derived("WA", name), name, available);
        activities.put(activity.sid(), activity);
    }

    private String derived(String prefix, String name) {
        return Sids.derived(prefix, sid + "/" + name);
    }

    /** {@code TaskQueues} gives {@code task_queues}, as Twilio names the links. */
    private static String snakeCase(String segment) {
        return segment.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
