package com.flexwebchat.conversations.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.chat.Chat;
import com.flexwebchat.shared.chat.FlexConversations;
import com.flexwebchat.shared.chat.RecentChats;
import com.flexwebchat.shared.chat.VisitorTokens;
import com.flexwebchat.shared.config.Transcripts;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.mail.MailFailure;
import com.flexwebchat.shared.metrics.MetricName;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.protection.RateLimits;
import com.flexwebchat.shared.store.KeyedHash;
import com.flexwebchat.shared.token.TokenRefused;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /email}: the widget's "send the transcript to my email" button. The widget sends
 * {@code {recipientAddress, subject, text, mediaInfo, uniqueFilenames}}, its own rendering of the
 * chat, and the Express server mailed that HTML to that address with whatever the URLs pointed at
 * attached: an open relay. Here only the address is read (and a token, when the widget sends one),
 * and the transcript is built on the server from the conversation itself:
 * <ul>
 *   <li>with {@code {"token": ...}}: the token is checked as {@code /refreshToken} checks it,
 *       except that a chat ended in the last 24 hours still counts; the transcript of that
 *       identity's latest chat goes to the email of that chat's pre-engagement form, whatever
 *       {@code recipientAddress} says;</li>
 *   <li>without: only when {@code recipientAddress} is the form's email of a chat started in the
 *       last 24 hours ({@link RecentChats}), that chat's transcript goes to that address;</li>
 *   <li>otherwise nothing is sent, and the answer is the same 200 as when it was: it does not tell
 *       whether an address has a chat.</li>
 * </ul>
 * Limits, counted before anything is read at Twilio: RATE_LIMIT_TRANSCRIPTS_PER_ADDRESS per
 * address (every address asked for, known or not), then RATE_LIMIT_TRANSCRIPTS_PER_CHAT per chat
 * (for an address without a chat, per address, so the second ask within the hour is a 429 alike).
 * Both need the store: when it does not answer, nothing is sent (503 {@code store_unavailable}).
 * When the provider refused the email, the counts are given back; when its outcome is unknown
 * (no answer, a 5xx), they are not, and nothing is sent again.
 */
public final class TranscriptRequests {

    /** The answer whether or not anything was sent to an address given without a token. */
    static final String SENT_IF_KNOWN =
            "If this address started a chat in the last 24 hours, the chat's transcript has been sent to it";
    static final String SENT = "The transcript of your chat has been sent to the email address of its form";
    static final String NO_ADDRESS = "Your chat's form has no email address to send its transcript to";
    static final String REFUSAL = "This token cannot ask for a transcript";
    /** The widget's own fields, read for their size only, to log that they were ignored. */
    private static final List<String> IGNORED = List.of("subject", "text", "mediaInfo", "uniqueFilenames");

    private final VisitorTokens tokens;
    private final FlexConversations conversations;
    private final RecentChats recentChats;
    private final RateLimits limits;
    private final KeyedHash hashes;
    private final Transcripts settings;
    private final TranscriptMailer mailer;
    private final Clock clock;

    TranscriptRequests(VisitorTokens tokens, FlexConversations conversations, RecentChats recentChats, RateLimits limits,
                       KeyedHash hashes, Transcripts settings, TranscriptMailer mailer, Clock clock) {
        this.tokens = tokens;
        this.conversations = conversations;
        this.recentChats = recentChats;
        this.limits = limits;
        this.hashes = hashes;
        this.settings = settings;
        this.mailer = mailer;
        this.clock = clock;
    }

    public HttpResponse request(HttpRequest request) {
        JsonNode body = request.jsonObject();
        logIgnoredFields(body);
        return body.has("token") ? byToken(request) : byAddress(body.path("recipientAddress"));
    }

    private HttpResponse byToken(HttpRequest request) {
        String identity = tokens.identity(request, REFUSAL);
        Chat chat = conversations.latestChatOf(identity, clock.instant().minus(Transcripts.RECENT))
                .orElseThrow(() -> tokens.refused(TokenRefused.Reason.CHAT_ENDED, REFUSAL));
        Log.put("conversationSid", chat.sid());
        Optional<String> address = TranscriptAddress.of(chat.preEngagementData().path("email").asText(null));
        if (address.isEmpty()) {
            Metrics.count(MetricName.TranscriptsRefused);
            Log.info("No transcript sent: the chat's form has no address a transcript can go to", "outcome", "no_address");
            return message(NO_ADDRESS);
        }
        send(chat, identity, address.get(), chat.sid());
        return message(SENT);
    }

    private HttpResponse byAddress(JsonNode recipient) {
        if (!recipient.isTextual()) {
            throw ApiError.invalidField("recipientAddress", "recipientAddress must be the email address of your chat's form");
        }
        String address = TranscriptAddress.of(recipient.asText()).orElseThrow(() ->
                ApiError.invalidField("recipientAddress", "recipientAddress must be an email address"));
        Optional<Chat> chat = recentChats.chatOf(address)
                .flatMap(conversations::find)
                .filter(c -> TranscriptAddress.same(c.preEngagementData().path("email").asText(null), address));
        if (chat.isEmpty()) {
            // Counted as a chat would be, so that asking twice looks the same whether or not one exists.
            List<RateLimits.Counted> counts = count(address, null);
            Metrics.count(MetricName.TranscriptsRefused);
            Log.info("No transcript sent: the address started no chat in the last 24 hours", "outcome", "no_chat",
                    "counted", counts.size());
            return message(SENT_IF_KNOWN);
        }
        Log.put("conversationSid", chat.get().sid());
        send(chat.get(), null, address, chat.get().sid());
        return message(SENT_IF_KNOWN);
    }

    private void send(Chat chat, String identity, String address, String chatSid) {
        List<RateLimits.Counted> counts = count(address, chatSid);
        try {
            mailer.send(chat, identity, address);
        } catch (MailFailure e) {
            if (!e.outcomeUnknown()) {
                counts.forEach(limits::refund);
            }
            throw e.toApiError();
        } catch (RuntimeException e) {
            counts.forEach(limits::refund); // nothing was sent: Twilio failed before the email was written
            throw e;
        }
    }

    /** The address's count, then the chat's (the address's again, when it has no chat), refusing when the store is down. */
    private List<RateLimits.Counted> count(String address, String chatSid) {
        String addressKey = hashes.of(KeyedHash.Kind.EMAIL, address);
        List<RateLimits.Counted> counts = new ArrayList<>(2);
        RateLimits.Counted perAddress = limits.countOrRefuse("transcripts-per-address", settings.perAddress(), addressKey);
        if (perAddress != null) {
            counts.add(perAddress);
        }
        try {
            RateLimits.Counted perChat = limits.countOrRefuse("transcripts-per-chat", settings.perChat(),
                    chatSid == null ? addressKey : chatSid);
            if (perChat != null) {
                counts.add(perChat);
            }
        } catch (RuntimeException e) {
            counts.forEach(limits::refund);
            throw e;
        }
        return counts;
    }

    private static void logIgnoredFields(JsonNode body) {
        List<Object> fields = new ArrayList<>();
        for (String name : IGNORED) {
            JsonNode value = body.get(name);
            if (value != null && !value.isNull()) {
                fields.add(name + "Size");
                fields.add(value.isTextual() ? value.asText().length() : value.size());
            }
        }
        if (!fields.isEmpty()) {
            Log.info("The widget's own transcript fields are ignored: the transcript is built from the conversation",
                    fields.toArray());
        }
    }

    private static HttpResponse message(String text) {
        return HttpResponse.ok(Json.object().put("message", text));
    }
}
