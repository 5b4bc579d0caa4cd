package com.flexwebchat.emulator.flex;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.chat.Chat;
import com.flexwebchat.emulator.conversations.Conversations;
import com.flexwebchat.emulator.http.Router;
import com.flexwebchat.emulator.taskrouter.TaskRouter;

import java.time.Clock;

/**
 * The Flex API ({@code https://flex-api.twilio.com}) as the rest of the emulator sees it: web chats and web
 * channels ({@link FlexApi}) and Interactions ({@link FlexInteractionsApi}), Flex's orchestration on top of
 * Conversations, Programmable Chat and TaskRouter.
 */
public final class Flex {

    private final FlexApi webChats;
    private final FlexInteractionsApi interactions;

    public Flex(EmulatorAccount account, Clock clock, Conversations conversations, Chat chat, TaskRouter taskRouter) {
        this.webChats = new FlexApi(account, conversations, chat, clock);
        this.interactions = new FlexInteractionsApi(conversations, taskRouter);
    }

    public void register(Router router) {
        webChats.register(router);
        interactions.register(router);
    }
}
