package com.flexwebchat.conversations.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.config.Transcripts;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.mail.MailFailure;
import com.flexwebchat.shared.protection.ExactlyOnce;
import com.flexwebchat.shared.protection.RateLimits;
import com.flexwebchat.shared.store.KeyedHash;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The transcript a visitor asked for in the pre-engagement form (TRANSCRIPT_OPT_IN_FIELD, e.g.
 * {@code formData.emailTranscript: true}, with an {@code email}), sent once when the chat ends,
 * whoever ends it. Every ending closes the conversation with webhooks (the visitor's End chat, the
 * agent's wrap-up, a timer), so Conversations' {@code onConversationStateUpdated} with
 * {@code StateTo=closed} is the one trigger; a conversation closes once, and each delivery of that
 * event claims the chat's transcript ({@link ExactlyOnce}, key {@code transcript#CH...}), so
 * replays and redeliveries send nothing more. A chat whose transcript already went out within
 * RATE_LIMIT_TRANSCRIPTS_PER_CHAT (the visitor pressed the widget's button) gets no second one.
 *
 * <p>When the provider refuses the email, the claim is given up and the answer is 502, so
 * Twilio's retry (when the webhook's retry policy names it) can send it; when the outcome is
 * unknown (no answer, a 5xx), the claim is kept: the email may have gone, and is not sent twice.
 */
public final class TranscriptAtChatEnd {

    static final String KEY_PREFIX = "transcript#";
    private static final Set<String> YES = Set.of("true", "yes", "on", "1");

    private final FlexConversations conversations;
    private final TranscriptMailer mailer;
    private final Transcripts settings;
    private final ExactlyOnce once;
    private final RateLimits limits;
    private final KeyedHash hashes;

    TranscriptAtChatEnd(FlexConversations conversations, TranscriptMailer mailer, Transcripts settings, ExactlyOnce once,
                        RateLimits limits, KeyedHash hashes) {
        this.conversations = conversations;
        this.mailer = mailer;
        this.settings = settings;
        this.once = once;
        this.limits = limits;
        this.hashes = hashes;
    }

    /** {@code onConversationStateUpdated}: acts only on a conversation that closed. */
    public void stateUpdated(String conversationSid, String stateTo) {
        if (!"closed".equals(stateTo) || !settings.optInOn()) {
            return;
        }
        Optional<Chat> chat = conversations.find(conversationSid);
        if (chat.isEmpty()) {
            Log.info("No transcript at the end: the conversation is not this service's");
            return;
        }
        JsonNode form = chat.get().preEngagementData();
        if (!optedIn(form.get(settings.optInField()))) {
            return;
        }
        Optional<String> address = TranscriptAddress.of(form.path("email").asText(null));
        if (address.isEmpty()) {
            Log.info("No transcript at the end: the form asked for one but has no address it can go to", "outcome", "no_address");
            return;
        }
        once.once(KEY_PREFIX + conversationSid, () -> {
            send(chat.get(), address.get());
            return null;
        }, () -> null);
    }

    private void send(Chat chat, String address) {
        RateLimits.Counted perChat;
        RateLimits.Counted perAddress;
        try {
            perChat = limits.countOrRefuse("transcripts-per-chat", settings.perChat(), chat.sid());
        } catch (ApiError e) {
            if (e.status() == 429) {
                Log.info("No transcript at the end: the visitor had it sent within the hour", "outcome", "sent_already");
                return;
            }
            throw e;
        }
        try {
            perAddress = limits.countOrRefuse("transcripts-per-address", settings.perAddress(), hashes.of(KeyedHash.Kind.EMAIL, address));
        } catch (ApiError e) {
            limits.refund(perChat);
            if (e.status() == 429) {
                Log.info("No transcript at the end: the address had its transcripts for the day", "outcome", "address_limit");
                return;
            }
            throw e;
        }
        try {
            mailer.send(chat, null, address);
        } catch (MailFailure e) {
            if (e.outcomeUnknown()) {
                Log.error("The transcript may or may not have gone out; it is not sent again", "kind", e.kind().name());
                return; // the claim is kept
            }
            limits.refund(perChat);
            limits.refund(perAddress);
            throw e.toApiError();
        } catch (RuntimeException e) {
            limits.refund(perChat); // nothing was sent: reading the chat at Twilio failed
            limits.refund(perAddress);
            throw e;
        }
    }

    /** A form field saying yes: {@code true}, or a string such as "true", "yes", "on" or "1" (a checkbox's value). */
    static boolean optedIn(JsonNode value) {
        if (value == null) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return (value.isTextual() || value.isNumber()) && YES.contains(value.asText().strip().toLowerCase(Locale.ROOT));
    }
}
