package com.flexwebchat.conversations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.flex.FlexAgents;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.redaction.CardNumberRedactor;
import com.flexwebchat.shared.twilio.TwilioFailure;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The pre-event {@code onMessageAdd} (and {@code onMessageUpdate}) webhook: Conversations waits
 * for this answer before it stores the message, and takes a 200 with {@code {"body": ...}} as the
 * message to store instead, a 200 with no content as "unchanged", any 4xx or 5xx as "rejected"
 * (https://www.twilio.com/docs/conversations/conversations-webhooks, "Using Pre-Action Webhooks
 * to Modify or Reject Changes").
 *
 * <p>Whose messages the rules cover:
 * <ul>
 *   <li>Card numbers are masked for every author: an agent has no more reason than a visitor
 *       to put one in the transcript, and masking is local, so it costs nothing.</li>
 *   <li>A closed conversation refuses every author's message. Conversations itself refuses
 *       messages to a conversation that is already closed; this also catches one that closed
 *       while the message waited for this answer, whoever wrote it.</li>
 *   <li>MAX_MESSAGE_LENGTH is the visitor's limit; agents (authors with a TaskRouter worker) may
 *       write longer. Only a message over the limit is looked up, so ordinary traffic pays
 *       nothing for the exemption.</li>
 * </ul>
 *
 * <p>Failure policy. The signature is checked before any of this and never waived. The Twilio
 * reads here only enrich what the payload says, and Conversations publishes unmodified, unmasked,
 * if it gets no answer within 5 seconds; so they run under a short budget of their own
 * ({@link Deadline#within}) and when Twilio is slow or failing the message gets the rules it
 * would get without them: the state check fails open (the message goes through), the agent
 * exemption is not granted (a long message is the visitor's limit). Masking always applies.
 * Message text is never logged, only lengths and counts.
 */
final class MessageScreening {

    private static final Pattern CONVERSATION_SID = Pattern.compile("CH[0-9a-fA-F]{32}");

    private final FlexConversations conversations;
    private final FlexAgents agents;
    private final CardNumberRedactor redactor;
    private final int maxLength;
    private final Duration enrichmentBudget;

    MessageScreening(FlexConversations conversations, FlexAgents agents, CardNumberRedactor redactor, int maxLength,
                     Duration enrichmentBudget) {
        this.conversations = conversations;
        this.agents = agents;
        this.redactor = redactor;
        this.maxLength = maxLength;
        this.enrichmentBudget = enrichmentBudget;
    }

    /**
     * @param body       the message text, or null (a media-only message)
     * @param attributes the message's attributes as Twilio sent them (stringified JSON), or null
     */
    HttpResponse screen(String conversationSid, String author, String body, String attributes) {
        Deadline enrichment = Deadline.within(enrichmentBudget);
        int length = body == null ? 0 : body.codePointCount(0, body.length());
        if (length > maxLength && !isAgent(author, enrichment)) {
            Log.info("Message rejected: too long", "length", length, "maxLength", maxLength);
            Metrics.count(MetricName.MessagesRejected);
            throw ApiError.badRequest("message_too_long",
                    "A message may have at most " + maxLength + " characters");
        }
        if (conversationSid != null && CONVERSATION_SID.matcher(conversationSid).matches()
                && isClosed(conversationSid, enrichment)) {
            Log.info("Message rejected: the conversation is closed");
            Metrics.count(MetricName.MessagesRejected);
            throw ApiError.forbidden("conversation_closed", "The conversation is closed");
        }

        CardNumberRedactor.Redaction redacted = redactor.redact(body);
        String redactedAttributes = redactor.redactJson(attributes);
        if (!redacted.changed() && redactedAttributes == null) {
            return new HttpResponse(200, null);
        }
        ObjectNode modified = Json.object();
        if (redacted.changed()) {
            modified.put("body", redacted.text());
        }
        if (redactedAttributes != null) {
            modified.put("attributes", redactedAttributes);
        }
        Metrics.count(MetricName.MessagesMasked);
        Log.info("Card numbers masked", "inBody", redacted.cardNumbers(), "inAttributes", redactedAttributes != null);
        return HttpResponse.ok(modified);
    }

    private boolean isAgent(String author, Deadline enrichment) {
        try {
            return enrichment.run(() -> agents.find(author)).isPresent();
        } catch (TwilioFailure e) {
            Log.warn("Could not tell whether the author is an agent; the visitor's limit applies",
                    "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode(), "answered", e.answered());
            return false;
        }
    }

    private boolean isClosed(String conversationSid, Deadline enrichment) {
        try {
            return enrichment.run(() -> conversations.find(conversationSid).map(Chat::ended).orElse(false));
        } catch (TwilioFailure e) {
            Log.warn("Could not read the conversation's state; the message is let through",
                    "twilioStatus", e.twilioStatus(), "twilioCode", e.twilioCode(), "answered", e.answered());
            return false;
        }
    }
}
