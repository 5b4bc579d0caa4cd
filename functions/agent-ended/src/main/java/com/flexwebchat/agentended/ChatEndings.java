package com.flexwebchat.agentended;

import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.chat.Webhooks;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.flex.FlexInteractions;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.protection.ExactlyOnce;
import com.flexwebchat.shared.twilio.TwilioFailure;
import com.flexwebchat.shared.webhook.WebhookRequest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/taskrouter}: the Flex workspace's event callback, reached only with a valid
 * Twilio signature. When a web chat's task wraps up (the agent ended it), is canceled (nobody took
 * it) or completes, the chat is ended at Twilio, after a closing notice from the Concierge where
 * the visitor should read one. The widget then shows its ended view and {@code /refreshToken}
 * refuses the chat's tokens.
 *
 * <p>The parameters are TaskRouter's event callback parameters ({@code EventType}, {@code TaskSid},
 * {@code TaskAttributes}, ..., https://www.twilio.com/docs/taskrouter/api/event/reference).
 * TaskRouter only needs a 204 within 15 seconds; it is the answer to every event this function has
 * nothing to do for. A Twilio failure is answered 502 or 504, after everything that could be done.
 *
 * <p>One effect per event, however often it is delivered: the chat's state is read first, and an
 * ended chat (or one Twilio does not know) is left alone, so a repeated delivery costs one read.
 * The notice is looked for before it is posted, so a retry after the close failed does not repeat it.
 * Only SIDs and outcomes are logged, never the task's attributes (they carry the visitor's form).
 */
final class ChatEndings {

    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z]{1,32}(\\.[a-z_-]{1,32}){1,3}");
    private static final Pattern TASK_CHANNEL = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final HttpResponse NO_CONTENT = new HttpResponse(204, null);

    /** How far back an ending notice is looked for: a repeated delivery follows the first within minutes. */
    static final int RECENT_MESSAGES = 20;

    private final WebChats chats;
    private final FlexInteractions interactions;
    private final WebChatConfig.Endings endings;
    private final ExactlyOnce effects;

    ChatEndings(WebChats chats, FlexInteractions interactions, WebChatConfig.Endings endings, ExactlyOnce effects) {
        this.chats = chats;
        this.interactions = interactions;
        this.endings = endings;
        this.effects = effects;
    }

    HttpResponse handle(WebhookRequest request) {
        String eventType = request.param("EventType");
        if (eventType != null && EVENT_TYPE.matcher(eventType).matches()) {
            Log.put("eventType", eventType);
        }
        Optional<Ending> ending = Ending.of(eventType);
        if (ending.isEmpty()) {
            Log.info("Event ignored");
            return NO_CONTENT;
        }
        Optional<WebChatTask> task = WebChatTask.from(request.param("TaskSid"), request.param("TaskAttributes"));
        if (task.isEmpty()) {
            String taskChannel = request.param("TaskChannelUniqueName");
            Log.info("Not a web chat task; nothing to end", "outcome", "not_web_chat",
                    "taskChannel", taskChannel != null && TASK_CHANNEL.matcher(taskChannel).matches() ? taskChannel : null);
            return NO_CONTENT;
        }
        if (task.get().taskSid() != null) {
            Log.put("taskSid", task.get().taskSid());
        }
        Log.put("conversationSid", task.get().chatSid());
        // Every delivery of one TaskRouter event carries its SID (EV...); a second one at the same time takes no effect.
        // The event's own SID first: every delivery of one TaskRouter event carries it, whereas an
        // idempotency token could differ between two configurations delivering the same event.
        String eventKey = request.param("Sid") != null ? request.param("Sid") : request.idempotencyToken();
        return effects.once(eventKey, () -> {
            end(task.get(), ending.get());
            return NO_CONTENT;
        }, () -> NO_CONTENT);
    }

    private void end(WebChatTask task, Ending ending) {
        Optional<Chat> found = chats.find(task.chatSid());
        if (found.isEmpty()) {
            Log.info("Twilio has no such chat; nothing to end", "outcome", "chat_not_found");
            return;
        }
        if (found.get().ended()) {
            Log.info("The chat has already ended", "outcome", "already_ended");
            return;
        }
        // An abandoned task never had an agent, so there is no transfer or parking to tell it from.
        if (ending != Ending.ABANDONED && task.hasInteraction() && !interactionClosed(task)) {
            return;
        }
        String notice = ending.notice(endings);
        boolean announced = notice != null && announce(task, ending, notice);
        chats.close(task.chatSid(), Webhooks.ON);
        Log.info("Chat ended", "outcome", ending.code(), "notice", announced);
    }

    /**
     * Whether Flex ended the interaction: only a closed channel means the chat is over. Any other
     * status (active, inactive, transfer, pause), or a channel Flex no longer has, leaves the chat
     * as it is: a chat left open closes by its own timer, a chat closed mid-transfer is lost.
     */
    private boolean interactionClosed(WebChatTask task) {
        Optional<String> status = interactions.status(task.interactionSid(), task.interactionChannelSid());
        if (status.isPresent() && status.get().equals(FlexInteractions.CLOSED)) {
            return true;
        }
        Log.info("The chat goes on: its interaction is not closed (a transfer or a parked chat)",
                "outcome", "chat_continues", "interactionStatus", status.orElse("not_found"));
        return false;
    }

    /**
     * The notice is a courtesy, the end is what matters: when Twilio fails the notice, the chat is
     * ended without it rather than left open.
     */
    private boolean announce(WebChatTask task, Ending ending, String notice) {
        try {
            if (chats.latestMessages(task.chatSid(), RECENT_MESSAGES).stream().anyMatch(EndingNotice::is)) {
                Log.info("The closing notice is already there");
                return false;
            }
            chats.postAsConcierge(task.chatSid(), notice, EndingNotice.attributes(ending, task.taskSid()));
            return true;
        } catch (TwilioFailure e) {
            Log.warn("No closing notice; the chat is ended without it",
                    "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode(), "answered", e.answered());
            return false;
        }
    }
}
