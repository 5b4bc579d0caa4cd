package com.flexwebchat.webchannel;

/**
 * A chat Flex has created: the Conversation (or, in legacy mode, the Programmable Chat channel)
 * and the visitor's identity in it.
 */
public record StartedChat(String conversationSid, String identity) {
}
