package com.flexwebchat.emulator.taskrouter;

/**
 * A TaskChannel of the workspace ({@code default}, {@code voice}, {@code chat}, {@code sms}, {@code video},
 * {@code email}): {@code TaskChannel} parameters name it by SID or unique name.
 */
public record TaskChannel(String sid, String uniqueName) {
}
