package com.flexwebchat.webchannel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.chat.StartedChat;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.invocation.Concurrently;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import com.flexwebchat.shared.token.IssuedToken;
import com.flexwebchat.shared.twilio.TwilioFailure;

/**
 * {@code POST /initWebchat}: validates the pre-engagement form, has Flex create the chat, mints
 * the visitor's token and, when the form carries a first question, posts it and the welcome.
 *
 * <p>The Express server posts those two messages after it has answered. A Lambda cannot: its
 * environment is frozen once the handler returns, so work left running may never finish
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). Everything is
 * done before the answer. The two posts stay sequential because their order is what the
 * visitor and agent read, and a failure of either is logged without failing the chat start:
 * the chat exists and the visitor can type.
 *
 * <p>Chats that take timers (Flex Conversations) get their closed (and inactive) timer, so Twilio
 * closes a chat the visitor walked away from. That update does not depend on the messages, so it
 * runs at the same time as them ({@link Concurrently}) and adds no round trip to the answer;
 * without a first question it is the only call after the create. Its failure is logged and does
 * not fail the start either: the account's default timer still applies.
 */
public final class WebChatStarter {

    private final WebChats chats;
    private final AccessTokenIssuer tokens;
    private final WebChatConfig.Endings endings;

    public WebChatStarter(WebChats chats, AccessTokenIssuer tokens, WebChatConfig.Endings endings) {
        this.chats = chats;
        this.tokens = tokens;
        this.endings = endings;
    }

    public HttpResponse start(HttpRequest request) {
        PreEngagementForm form = PreEngagementForm.from(request.jsonObject());
        StartedChat chat = chats.start(form.friendlyName(), form.preEngagementData());
        Log.put("conversationSid", chat.sid());
        IssuedToken token = tokens.issue(chat.identity());

        Runnable openingMessages = () -> postOpeningMessages(chat, form);
        if (!chats.hasTimers()) {
            openingMessages.run();
        } else if (form.query() == null) {
            startTimers(chat);
        } else {
            Concurrently.run(openingMessages, () -> startTimers(chat));
        }
        Log.info("Web chat started", "openingMessage", form.query() != null);

        ObjectNode body = Json.object();
        body.put("token", token.jwt());
        body.put("conversationSid", chat.sid());
        body.put("expiration", token.expiresAt().toEpochMilli());
        return HttpResponse.ok(body);
    }

    /** The visitor's first question, then the welcome: in that order, as the transcript reads. */
    private void postOpeningMessages(StartedChat chat, PreEngagementForm form) {
        if (form.query() != null) {
            boolean posted = attempt(() -> chats.postAsVisitor(chat, form.query()), "visitor's first message");
            if (posted) {
                attempt(() -> chats.postAsConcierge(chat.sid(), welcome(form.friendlyName()), null), "welcome message");
            }
        }
    }

    private void startTimers(StartedChat chat) {
        try {
            chats.startTimers(chat.sid(), endings.closeAfter(), endings.inactiveAfter());
        } catch (TwilioFailure e) {
            Log.warn("Could not start the conversation's timers; the account's default timer applies",
                    "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode(), "answered", e.answered());
        }
    }

    /** The Express server's welcome, word for word, so transcripts read the same. */
    static String welcome(String friendlyName) {
        return "Welcome " + friendlyName + "! An agent will be with you in just a moment.";
    }

    private static boolean attempt(Runnable post, String what) {
        try {
            post.run();
            return true;
        } catch (TwilioFailure e) {
            Log.warn("Could not post the " + what + "; the chat was started without it",
                    "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode(), "answered", e.answered());
            return false;
        }
    }
}
