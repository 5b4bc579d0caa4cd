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
    /** {@code task.completed}: after wrap-up; the chat should be over by now, without a second word to the visitor. */
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

    /** What the visitor reads before the chat closes, or null for an ending that closes silently. */
    String notice(WebChatConfig.Endings endings) {
        return switch (this) {
            case AGENT_ENDED -> endings.agentEndedMessage();
            case ABANDONED -> endings.abandonedMessage();
            case COMPLETED -> null;
        };
    }

    /** TaskRouter's name for the event. */
    String eventType() {
        return eventType;
    }

    /** For logs and the notice's attributes. */
    String code() {
        return code;
    }
}
