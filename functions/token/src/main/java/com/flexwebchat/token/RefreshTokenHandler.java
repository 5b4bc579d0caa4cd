package com.flexwebchat.token;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.http.ApiGatewayAdapter;
import com.flexwebchat.shared.snapstart.SnapStart;

/** The token function: {@code POST /refreshToken}. A thin adapter over {@link TokenRenewer}. */
public final class RefreshTokenHandler implements HttpApiHandler {

    private final ApiGatewayAdapter adapter;
    private final TokenRenewer renewer;
    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // held so the hooks live as long as the handler
    private final SnapStart snapStart;

    /** Used by the Lambda runtime. */
    public RefreshTokenHandler() {
        this(WebChatRuntime.fromEnvironment());
    }

    public RefreshTokenHandler(WebChatRuntime runtime) {
        this.adapter = runtime.browserAdapter();
        this.renewer = new TokenRenewer(runtime);
        this.snapStart = SnapStart.register(this, runtime, "refreshToken.json");
    }

    @Override
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        return adapter.handle(event, context, renewer::renew);
    }
}
