package com.flexwebchat.shared.chat;

/**
 * A chat Flex has created: its SID ({@code CH...}: the conversation or, in legacy mode, the
 * Programmable Chat channel) and the visitor's identity in it.
 */
public record StartedChat(String sid, String identity) {
}
