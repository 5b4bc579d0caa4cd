/**
 * The Flex API ({@code https://flex-api.twilio.com}): {@link com.flexwebchat.emulator.flex.Flex} wires it. The two
 * ways a web chat starts ({@code FlexApi}: v2 WebChats on Conversations, legacy v1 WebChannels on Programmable
 * Chat) and Interactions ({@code FlexInteractionsApi}: a conversation routed as a TaskRouter task, and how closing
 * its channel ends the task), with their resources ({@code WebChannel}, {@code Interaction},
 * {@code InteractionChannel}). It changes the other products only through their facades.
 */
package com.flexwebchat.emulator.flex;
