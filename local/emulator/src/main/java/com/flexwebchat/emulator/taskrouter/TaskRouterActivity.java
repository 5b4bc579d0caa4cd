package com.flexwebchat.emulator.taskrouter;

/**
 * A TaskRouter Activity: the state a Worker is in, and whether that state takes work ({@code available}).
 *
 * @see <a href="https://www.twilio.com/docs/taskrouter/api/activity">Activity resource</a>
 */
record TaskRouterActivity(String sid, String friendlyName, boolean available) {
}
