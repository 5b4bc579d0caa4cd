/**
 * Conversations v1 ({@code https://conversations.twilio.com/v1}), account-level and service-scoped:
 * {@link com.flexwebchat.emulator.conversations.Conversations} is the product as the rest of the emulator sees
 * it. Inside: the resources ({@code Conversation} with its states and timers, {@code Participant},
 * {@code ConversationMessage}, {@code ConversationUser}, the account's {@code ConversationsConfiguration}, the
 * services' {@code Roles}), the state and its rules ({@code ConversationStore}), the changes that fire webhooks
 * and the parameters they carry ({@code ConversationActions}, {@code EventParams}), and the REST operations
 * ({@code ConversationsApi}, {@code ConversationsConfigurationApi}).
 */
package com.flexwebchat.emulator.conversations;
