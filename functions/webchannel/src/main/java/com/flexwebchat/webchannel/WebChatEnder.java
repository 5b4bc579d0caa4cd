package com.flexwebchat.webchannel;

import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.chat.VisitorTokens;
import com.flexwebchat.shared.chat.WebChats;
import com.flexwebchat.shared.chat.Webhooks;
import com.flexwebchat.shared.flex.FlexInteractions;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.invocation.Concurrently;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.config.Protections;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.metrics.Metrics;
import com.flexwebchat.shared.protection.ExactlyOnce;
import com.flexwebchat.shared.protection.RateLimits;
import com.flexwebchat.shared.store.KeyedHash;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /endChat}: the widget's "End chat" button. The body is {@code {"token": "..."}},
 * the visitor's current access token, checked exactly as {@code /refreshToken} checks it
 * ({@link VisitorTokens}: 400 without one, 403 for one this backend would not accept), and counted
 * against RATE_LIMIT_ENDINGS_PER_VISITOR, before Twilio is asked anything. Then every chat of that identity that has not ended is ended, and the
 * answer is {@code {"ended": true}}. For each:
 * <ol>
 *   <li>the customer-left notice from {@code Concierge}, webhooks off, so the agent reads why the
 *       chat went quiet (it must come first: an ended chat takes no messages);</li>
 *   <li>the chat's Flex interaction closed ({@link FlexInteractions}), when it reached Flex: an
 *       agent who has it wraps up, a task no agent accepted goes away. Finding it only reads, so it
 *       runs at the same time as the notice;</li>
 *   <li>the chat closed, with webhooks, as a timer closes it: the Conversations service's
 *       {@code onConversationStateUpdated} follows (closing the interaction may have closed it already).</li>
 * </ol>
 * Ending is idempotent from the visitor's side: a chat already ended (by an earlier
 * {@code /endChat}, the agent, or a timer) is no longer open, so a second call finds nothing,
 * writes nothing and answers the same. Calls at the same moment (a double click, two tabs) and the
 * agent's ending arriving with it end the chat once: each ending claims the chat
 * ({@link ExactlyOnce#chatEnding}, the key the TaskRouter webhook's endings take too), and one that
 * finds it taken answers as if it had ended it.
 *
 * <p>Each step can be repeated by the widget's retry after a later one failed (the answer was 502
 * or 504 and the claim given up): the notice carries {@code {"chatEnding": "customer_left"}} and
 * is looked for among the latest messages before it is posted, so it is posted once, and neither
 * follows another ending's notice (the agent-ended one, which carries the same attribute); the
 * interaction is found only while its task is active, so a closed one is not closed again; and
 * closing a closed conversation counts as done.
 */
public final class WebChatEnder {

    static final String REFUSAL = "This token cannot end a chat";
    /**
     * The attribute every ending notice carries, the same as the TaskRouter webhook's
     * ({@code EndingNotice.ENDING_ATTRIBUTE}): an ending that finds one posts no other.
     */
    static final String ENDING_ATTRIBUTE = "chatEnding";
    static final String CUSTOMER_LEFT = "customer_left";
    /** How far back an ending notice is looked for: a retry follows the failed call within seconds. */
    static final int RECENT_MESSAGES = 20;

    private final VisitorTokens tokens;
    private final WebChats chats;
    private final FlexInteractions interactions;
    private final String customerLeftMessage;
    private final RateLimits limits;
    private final Protections.Limit limit;
    private final KeyedHash hashes;
    private final ExactlyOnce once;

    WebChatEnder(WebChatRuntime runtime) {
        this.tokens = new VisitorTokens(runtime.tokenVerifier());
        this.chats = runtime.chats();
        this.interactions = runtime.interactions();
        this.customerLeftMessage = runtime.config().endings().customerLeftMessage();
        this.limits = runtime.rateLimits();
        this.limit = runtime.config().protections().endingsPerIdentity();
        this.hashes = runtime.hashes();
        this.once = runtime.exactlyOnce();
    }

    public HttpResponse end(HttpRequest request) {
        String identity = tokens.identity(request, REFUSAL);
        limits.count("endings-per-visitor", limit, hashes.of(KeyedHash.Kind.IDENTITY, identity));
        List<String> open = chats.openChatsOf(identity);
        for (String chatSid : open) {
            Log.put("conversationSid", chatSid);
            once.once(ExactlyOnce.chatEnding(chatSid), () -> {
                end(chatSid);
                return null;
            }, () -> {
                Log.info("Another ending of this chat took it", "outcome", "ending_taken");
                return null;
            });
        }
        if (open.isEmpty()) {
            Log.info("No open chat to end");
        } else {
            Log.info("Web chat ended by the visitor", "chats", open.size());
        }
        return HttpResponse.ok(Json.object().put("ended", true));
    }

    private void end(String chatSid) {
        Optional<FlexInteractions.Channel> interaction = Concurrently.supply(
                () -> announce(chatSid),
                () -> interactions.activeChannelOf(chatSid));
        interaction.ifPresent(interactions::close);
        // With webhooks, as the agent's ending and a timer close it: the service's state-change
        // webhook then sends the transcript the visitor asked for in the form, whoever ended the chat.
        Log.info(chats.close(chatSid, Webhooks.ON) ? "Chat closed" : "Chat was closed already");
        Metrics.chatEnded(Metrics.EndedBy.VISITOR);
    }

    /** Posts the customer-left notice, unless an ending notice (this one, from a failed call, or the agent's) is there. */
    private void announce(String chatSid) {
        if (chats.latestMessages(chatSid, RECENT_MESSAGES).stream().anyMatch(m -> m.isConciergeNotice(ENDING_ATTRIBUTE))) {
            Log.info("An ending notice is already there");
            return;
        }
        chats.postAsConcierge(chatSid, customerLeftMessage, Json.object().put(ENDING_ATTRIBUTE, CUSTOMER_LEFT));
    }
}
