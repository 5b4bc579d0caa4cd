/**
 * Twilio's side of webhooks. {@link com.flexwebchat.emulator.webhooks.WebhookSender} sends them as Twilio does,
 * form-encoded and signed ({@link com.flexwebchat.emulator.webhooks.WebhookSignature}), and records every
 * delivery: Conversations' pre- and post-event webhooks, TaskRouter's event callbacks, and the requests tests
 * make up. {@link com.flexwebchat.emulator.webhooks.ConversationWebhooks} holds the Conversations webhook
 * configuration (per service and for the account, served by {@code WebhookConfigurationApi}) and decides which
 * event fires where, and how a pre-event webhook's answer is read.
 */
package com.flexwebchat.emulator.webhooks;
