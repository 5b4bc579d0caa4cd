package com.flexwebchat.emulator.taskrouter;

import com.flexwebchat.emulator.http.Sids;
import com.flexwebchat.emulator.http.Timestamps;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A TaskRouter Worker: an agent, described by JSON attributes, in one Activity at a time. */
final class TaskRouterWorker {

    final String sid = Sids.random("WK");
    final TaskRouterWorkspace workspace;
    final Instant dateCreated;
    String friendlyName;
    String attributes;
    TaskRouterActivity activity;
    Instant dateUpdated;
    Instant dateStatusChanged;

    TaskRouterWorker(TaskRouterWorkspace workspace, String friendlyName, String attributes, TaskRouterActivity activity,
                     Instant now) {
        this.workspace = workspace;
        this.friendlyName = friendlyName;
        this.attributes = attributes;
        this.activity = activity;
        this.dateCreated = now;
        this.dateUpdated = now;
        this.dateStatusChanged = now;
    }

    void changeActivity(TaskRouterActivity next, Instant now) {
        if (!next.sid().equals(activity.sid())) {
            activity = next;
            dateStatusChanged = now;
        }
    }

    String url() {
        return workspace.url() + "/Workers/" + sid;
    }

    /**
     * The {@code taskrouter.v1.workspace.worker} resource. Lists leave {@code attributes} out: "If this property has
     * been assigned a value, it will only be displayed in FETCH actions that return a single resource. Otherwise,
     * this property will be null, even if it has a value" (the spec's description of the property).
     */
    Map<String, Object> toResource(boolean withAttributes) {
        String url = url();
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("channels", url + "/Channels");
        links.put("reservations", url + "/Reservations");
        links.put("activity", workspace.url() + "/Activities/" + activity.sid());
        links.put("workspace", workspace.url());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("account_sid", workspace.accountSid);
        r.put("activity_name", activity.friendlyName());
        r.put("activity_sid", activity.sid());
        r.put("attributes", withAttributes ? attributes : null);
        r.put("available", activity.available());
        r.put("date_created", Timestamps.format(dateCreated));
        r.put("date_status_changed", Timestamps.format(dateStatusChanged));
        r.put("date_updated", Timestamps.format(dateUpdated));
        r.put("friendly_name", friendlyName);
        r.put("sid", sid);
        r.put("workspace_sid", workspace.sid);
        r.put("url", url);
        r.put("links", links);
        return r;
    }
}
