package com.flexwebchat.agentended;

import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.chat.Webhooks;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.flex.FlexInteractions;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.protection.ExactlyOnce;
import com.flexwebchat.shared.twilio.TwilioFailure;
import com.flexwebchat.shared.webhook.WebhookRequest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/taskrouter}: the Flex workspace's event callback, reached only with a valid
 * Twilio signature. When a web chat's task wraps up (the agent ended it), is canceled (nobody took
 * it) or completes, the chat is ended at Twilio, after a closing notice from the Concierge telling
 * the visitor why. The widget then shows its ended view and {@code /refreshToken} refuses the
 * chat's tokens.
 *
 * <p>The parameters are TaskRouter's event callback parameters ({@code EventType}, {@code TaskSid},
 * {@code TaskAttributes}, ..., https://www.twilio.com/docs/taskrouter/api/event/reference).
 * TaskRouter only needs a 204 within 15 seconds; it is the answer to every event this function has
 * nothing to do for, and to one whose effect another delivery or another ending took.
 *
 * <p>A chat is never closed here without the notice the visitor is owed: when Twilio fails to post
 * it, the chat is left open, every record of the event is given up and the event is answered 502
 * or 504, so a retry takes it from the start. Twilio retries a webhook by the retry policy of the
 * URL it calls: by default only a connection that failed, once ({@code rc=1}, {@code rp=ct}), and
 * a 5xx answer when the URL's connection overrides say so ({@code #rp=5xx} or {@code all},
 * https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides); TaskRouter documents
 * nothing beyond "respond ... with 204 No Content ... within 15 seconds" (the events reference).
 * The task's later {@code task.completed} is the backstop: it finds the chat open and posts the
 * same notice. Only a post Twilio refuses for good (a 4xx other than 429, which no retry changes)
 * lets the chat close without it, logged as an error ({@code notice_impossible}).
 *
 * <p>One effect per chat, however it is asked for. Every delivery of one event carries its SID,
 * recorded first ({@link ExactlyOnce}), so a repeated delivery costs nothing. Then the chat's state
 * is read, and an ended chat (or one Twilio does not know) is left alone. The ending itself is
 * keyed by the chat ({@link ExactlyOnce#chatEnding}), the key {@code /endChat} takes too: of a
 * wrap-up, a completion and the visitor's End chat arriving together, one posts its notice and
 * closes the chat, the others find the ending taken. The notice is looked for before it is posted,
 * so a retry after the close failed (or after the store failed) does not repeat it. Only SIDs and
 * outcomes are logged, never the task's attributes (they carry the visitor's form).
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
        effects.once(ExactlyOnce.chatEnding(task.chatSid()), () -> {
            boolean announced = announce(task, ending, ending.notice(endings));
            chats.close(task.chatSid(), Webhooks.ON);
            Metrics.chatEnded(ending == Ending.ABANDONED ? Metrics.EndedBy.ABANDONED : Metrics.EndedBy.AGENT);
            Log.info("Chat ended", "outcome", ending.code(), "notice", announced);
            return null;
        }, () -> {
            Log.info("Another ending of this chat took it", "outcome", "ending_taken");
            return null;
        });
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
     * Posts the notice unless one is there already. A post that fails is thrown, so the chat stays
     * open for the retry; one Twilio refuses for good is logged as impossible and the chat closes
     * without it.
     *
     * @return whether this call posted it
     */
    private boolean announce(WebChatTask task, Ending ending, String notice) {
        if (chats.latestMessages(task.chatSid(), RECENT_MESSAGES).stream().anyMatch(EndingNotice::is)) {
            Log.info("The closing notice is already there");
            return false;
        }
        try {
            chats.postAsConcierge(task.chatSid(), notice, EndingNotice.attributes(ending, task.taskSid()));
            return true;
        } catch (TwilioFailure e) {
            if (!impossible(e)) {
                Log.warn("No closing notice; the chat is left open for the event's retry",
                        "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode(), "answered", e.answered());
                throw e;
            }
            Log.error("The closing notice cannot be posted; the chat is closed without it", "outcome", "notice_impossible",
                    "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode());
            return false;
        }
    }

    /** Twilio refused the post for good: a 4xx (other than 429, too many requests) that no retry changes. */
    static boolean impossible(TwilioFailure failure) {
        Integer status = failure.twilioStatus();
        return failure.answered() && status != null && status >= 400 && status < 500 && status != 429;
    }
}
