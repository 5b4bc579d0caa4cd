package com.flexwebchat.conversations;

import com.flexwebchat.conversations.transcript.TranscriptAtChatEnd;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.protection.ExactlyOnce;
import com.flexwebchat.shared.webhook.WebhookRequest;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code POST /webhooks/conversations}: the Flex conversation service's pre- and post-event
 * webhook, reached only with a valid Twilio signature. Routes on {@code EventType}; the event
 * parameters are those documented per event type at
 * https://www.twilio.com/docs/conversations/conversations-webhooks.
 */
public final class ConversationsWebhook {

    static final String MESSAGE_ADD = "onMessageAdd";
    static final String MESSAGE_UPDATE = "onMessageUpdate";
    static final String PARTICIPANT_ADDED = "onParticipantAdded";
    static final String STATE_UPDATED = "onConversationStateUpdated";
    static final List<String> EVENTS = List.of(MESSAGE_ADD, MESSAGE_UPDATE, PARTICIPANT_ADDED, STATE_UPDATED);
    private static final Pattern STATE = Pattern.compile("active|inactive|closed");

    private static final Pattern CONVERSATION_SID = Pattern.compile("CH[0-9a-fA-F]{32}");
    private static final Pattern PARTICIPANT_SID = Pattern.compile("MB[0-9a-fA-F]{32}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z]{1,64}");
    /** A 200 with no content: "publish the change unmodified" for a pre-event, "received" for a post-event. */
    private static final HttpResponse NOTHING = new HttpResponse(200, null);

    private final MessageScreening screening;
    private final AgentAnnouncer announcer;
    private final TranscriptAtChatEnd transcripts;
    private final ExactlyOnce effects;

    /**
     * @param transcripts the transcript at the end of an opted-in chat, or null when transcripts are off (no FROM_EMAIL)
     * @param effects     the post-events' exactly-once record (screening a message has no effect to repeat)
     */
    ConversationsWebhook(MessageScreening screening, AgentAnnouncer announcer, TranscriptAtChatEnd transcripts,
                         ExactlyOnce effects) {
        this.screening = screening;
        this.announcer = announcer;
        this.transcripts = transcripts;
        this.effects = effects;
    }

    public HttpResponse handle(WebhookRequest request) {
        String eventType = request.param("EventType");
        String conversationSid = request.param("ConversationSid");
        if (conversationSid != null && CONVERSATION_SID.matcher(conversationSid).matches()) {
            Log.put("conversationSid", conversationSid);
        }
        if (eventType != null && EVENT_TYPE.matcher(eventType).matches()) {
            Log.put("eventType", eventType);
        }
        if (MESSAGE_ADD.equals(eventType) || MESSAGE_UPDATE.equals(eventType)) {
            // An edit can put a card number into a message as well as a new one can.
            return screening.screen(conversationSid, request.param("Author"), rawParam(request, "Body"),
                    request.param("Attributes"));
        }
        if (PARTICIPANT_ADDED.equals(eventType)) {
            String participantSid = request.param("ParticipantSid");
            if (conversationSid == null || !CONVERSATION_SID.matcher(conversationSid).matches()
                    || participantSid == null || !PARTICIPANT_SID.matcher(participantSid).matches()) {
                throw ApiError.badRequest("invalid_event", "onParticipantAdded needs a ConversationSid and a ParticipantSid");
            }
            Log.put("participantSid", participantSid);
            // Twilio's retries of one delivery share its token: a repeat costs no Twilio call. The
            // join itself is keyed by the participant (AgentAnnouncer), whatever the token.
            return effects.once(request.idempotencyToken(), () -> {
                announcer.participantAdded(conversationSid, participantSid, request.param("Identity"));
                return NOTHING;
            }, () -> NOTHING);
        }
        if (STATE_UPDATED.equals(eventType)) {
            String stateTo = request.param("StateTo");
            if (conversationSid == null || !CONVERSATION_SID.matcher(conversationSid).matches()
                    || stateTo == null || !STATE.matcher(stateTo).matches()) {
                throw ApiError.badRequest("invalid_event", "onConversationStateUpdated needs a ConversationSid and a StateTo");
            }
            Log.put("stateTo", stateTo);
            if ("closed".equals(stateTo) && "TIMER".equals(request.param("Reason"))) {
                Metrics.chatEnded(Metrics.EndedBy.TIMER); // the endings this backend makes are counted where they are made
            }
            if (transcripts != null) {
                transcripts.stateUpdated(conversationSid, stateTo);
            }
            return NOTHING;
        }
        Log.info("Event ignored");
        return NOTHING;
    }

    /** The parameter as sent, blanks included (WebhookRequest.param drops blank values). */
    private static String rawParam(WebhookRequest request, String name) {
        List<String> values = request.form().get(name);
        return values == null || values.isEmpty() ? request.param(name) : values.get(0);
    }
}
