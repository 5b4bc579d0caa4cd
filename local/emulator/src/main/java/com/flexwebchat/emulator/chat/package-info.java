/**
 * Programmable Chat v2 ({@code https://chat.twilio.com/v2}), the channel, member and message operations legacy
 * Flex web chat needs: {@link com.flexwebchat.emulator.chat.Chat} is the product as the rest of the emulator sees
 * it; {@code ChatStore} holds the channels ({@code ChatChannel}, {@code ChatMember}, {@code ChatMessage}) and
 * {@code ChatApi} serves them.
 */
package com.flexwebchat.emulator.chat;
