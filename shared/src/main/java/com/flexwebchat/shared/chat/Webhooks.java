package com.flexwebchat.shared.chat;

/**
 * Whether a write to a chat raises Twilio's webhooks. A REST write raises none unless it asks
 * with {@code X-Twilio-Webhook-Enabled: true} (https://www.twilio.com/docs/conversations/conversations-webhooks):
 * the visitor's first message needs them (the Studio flow starts on it), the Concierge's notices
 * must not (no flow should react to them), a close may want them (Flex and reporting hear it).
 */
public enum Webhooks {
    ON, OFF
}
