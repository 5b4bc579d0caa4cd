package com.flexwebchat.token;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.http.ApiGatewayAdapter;

/** The token function: {@code POST /refreshToken}. A thin adapter over {@link TokenRenewer}. */
public final class RefreshTokenHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final ApiGatewayAdapter adapter;
    private final TokenRenewer renewer;

    /** Used by the Lambda runtime. */
    public RefreshTokenHandler() {
        this(WebChatRuntime.fromEnvironment());
    }

    public RefreshTokenHandler(WebChatRuntime runtime) {
        WebChatConfig config = runtime.config();
        ChatPresence presence = config.legacy()
                ? new LegacyChannelPresence(runtime.twilio(), config.chatServiceSid())
                : new ConversationsPresence(runtime.twilio(), config.conversationsServiceSid());
        this.adapter = runtime.browserAdapter();
        this.renewer = new TokenRenewer(runtime.tokenVerifier(), runtime.tokenIssuer(), presence);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return adapter.handle(event, context, renewer::renew);
    }
}
