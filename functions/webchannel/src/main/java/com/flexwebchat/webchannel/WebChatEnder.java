package com.flexwebchat.webchannel;

import com.flexwebchat.shared.Priming;
import com.flexwebchat.shared.chat.ChatLookup;
import com.flexwebchat.shared.chat.VisitorTokens;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.token.AccessTokenIssuer;
import java.util.List;

/**
 * {@code POST /endChat}: the widget's "End chat" button. The body is {@code {"token": "..."}},
 * the visitor's current access token, checked exactly as {@code /refreshToken} checks it
 * ({@link VisitorTokens}: 400 without one, 403 for one this backend would not accept) before
 * Twilio is asked anything. Then every chat of that identity that has not ended
 * ({@link ChatLookup}, the same lookup as {@code /refreshToken}'s) is ended ({@link ChatEnding}),
 * and the answer is {@code {"ended": true}}.
 *
 * <p>Ending is idempotent from the visitor's side: a chat already ended (by an earlier
 * {@code /endChat}, the agent, or a timer) is no longer open, so a second call finds nothing,
 * writes nothing and answers the same.
 */
public final class WebChatEnder {

    static final String REFUSAL = "This token cannot end a chat";

    private final VisitorTokens tokens;
    private final ChatLookup chats;
    private final ChatEnding ending;
    private final AccessTokenIssuer issuer;

    WebChatEnder(VisitorTokens tokens, ChatLookup chats, ChatEnding ending, AccessTokenIssuer issuer) {
        this.tokens = tokens;
        this.chats = chats;
        this.ending = ending;
        this.issuer = issuer;
    }

    public HttpResponse end(HttpRequest request) {
        String identity = tokens.identity(request, REFUSAL);
        List<String> open = chats.openChats(identity);
        for (String chatSid : open) {
            Log.put("conversationSid", chatSid);
            ending.end(chatSid);
        }
        if (open.isEmpty()) {
            Log.info("No open chat to end");
        } else {
            Log.info("Web chat ended by the visitor", "chats", open.size());
        }
        return HttpResponse.ok(Json.object().put("ended", true));
    }

    /** For the SnapStart snapshot: a token verified as an ending verifies it, and the SDK's JSON an ending reads. No Twilio call. */
    void prime() {
        tokens.identity(new HttpRequest("POST", "/endChat", java.util.Map.of("content-type", "application/json"),
                Json.write(Json.object().put("token", issuer.issue(Priming.IDENTITY).jwt())), null), REFUSAL);
        ending.prime();
    }
}
