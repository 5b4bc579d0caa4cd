package com.flexwebchat.agentended;

import com.flexwebchat.shared.config.WebChatConfig;
import java.util.Optional;

/**
 * The TaskRouter events that end a web chat, and what the visitor is told
 * (https://www.twilio.com/docs/taskrouter/api/event/reference, "Task" events).
 */
enum Ending {

    /** {@code task.wrapup}: the agent ended the chat ("End chat" moves the task to wrapping). */
    AGENT_ENDED("task.wrapup", "agent_ended"),
    /** {@code task.canceled}: the task ended before an agent took it (no one answered, it timed out, it was withdrawn). */
    ABANDONED("task.canceled", "abandoned"),
    /**
     * {@code task.completed}: after wrap-up. The chat should be over by now; when it is not (its wrap-up
     * arrived at the same moment, or failed and was not retried), the agent ended it, and the visitor is
     * owed the same notice the wrap-up would have posted.
     */
    COMPLETED("task.completed", "completed");

    private final String eventType;
    private final String code;

    Ending(String eventType, String code) {
        this.eventType = eventType;
        this.code = code;
    }

    static Optional<Ending> of(String eventType) {
        for (Ending ending : values()) {
            if (ending.eventType.equals(eventType)) {
                return Optional.of(ending);
            }
        }
        return Optional.empty();
    }

    /** What the visitor reads before the chat closes: every ending owes the visitor a word. */
    String notice(WebChatConfig.Endings endings) {
        return this == ABANDONED ? endings.abandonedMessage() : endings.agentEndedMessage();
    }

    /** What the notice announces, for its attributes: a completion announces what its wrap-up would have. */
    String noticeCode() {
        return this == ABANDONED ? ABANDONED.code : AGENT_ENDED.code;
    }

    /** TaskRouter's name for the event. */
    String eventType() {
        return eventType;
    }

    /** For logs. */
    String code() {
        return code;
    }
}
