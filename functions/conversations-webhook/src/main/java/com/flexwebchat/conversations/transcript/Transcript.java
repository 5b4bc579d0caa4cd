package com.flexwebchat.conversations.transcript;

import java.time.Instant;
import java.util.List;

/**
 * A chat as its visitor saw it, read from the Conversations API (never from a request): its
 * messages in order, each with its author's name as the widget showed it and the files it carried.
 *
 * @param chatSid     the conversation
 * @param visitorName the visitor's name (the pre-engagement form's {@code friendlyName})
 * @param agentNames  the agents' public names, in the order they first wrote
 * @param lines       the messages, oldest first
 */
record Transcript(String chatSid, String visitorName, List<String> agentNames, List<Line> lines) {

    /**
     * One message.
     *
     * @param author the name the visitor saw: theirs, an agent's public name, or the Concierge's
     * @param sent   when Twilio took it, or null when Twilio gave no date
     * @param text   its body (card numbers masked), or empty for a file alone
     * @param files  the files it carried
     */
    record Line(String author, Instant sent, String text, List<File> files) {
    }

    /** A file of a message, as the Conversations API describes it ({@code media}: sid, filename, content type, size, -1 when not given). */
    record File(String mediaSid, String filename, String contentType, long size) {
    }

    Transcript {
        agentNames = List.copyOf(agentNames);
        lines = List.copyOf(lines);
    }

    /** When the first message with a time was sent, or null. */
    Instant started() {
        return lines.stream().map(Line::sent).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    List<File> files() {
        return lines.stream().flatMap(line -> line.files().stream()).toList();
    }

    /** The same transcript with each file named as {@code name} says (its name as attached). */
    Transcript withFileNames(java.util.function.Function<File, String> name) {
        return new Transcript(chatSid, visitorName, agentNames, lines.stream()
                .map(line -> new Line(line.author(), line.sent(), line.text(), line.files().stream()
                        .map(file -> new File(file.mediaSid(), name.apply(file), file.contentType(), file.size())).toList()))
                .toList());
    }
}
