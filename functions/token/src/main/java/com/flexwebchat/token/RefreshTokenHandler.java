package com.flexwebchat.token;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.SnapStartHooks;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.chat.ChatLookup;
import com.flexwebchat.shared.chat.VisitorTokens;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.http.ApiGatewayAdapter;

/** The token function: {@code POST /refreshToken}. A thin adapter over {@link TokenRenewer}. */
public final class RefreshTokenHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final ApiGatewayAdapter adapter;
    private final TokenRenewer renewer;
    private final String primingOrigin;
    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // held so the hooks live as long as the handler
    private final SnapStartHooks snapStart;

    /** Used by the Lambda runtime. */
    public RefreshTokenHandler() {
        this(WebChatRuntime.fromEnvironment());
    }

    public RefreshTokenHandler(WebChatRuntime runtime) {
        this.adapter = runtime.browserAdapter();
        this.renewer = new TokenRenewer(new VisitorTokens(runtime.tokenVerifier()), runtime.tokenIssuer(),
                ChatLookup.of(runtime.config(), runtime.twilio()));
        this.primingOrigin = runtime.anyAllowedOrigin();
        this.snapStart = SnapStartHooks.register(this::prime, runtime.twilio());
    }

    /**
     * SnapStart priming: the whole request path with a token that is refused before Twilio is
     * asked, then a renewal's own work (verify, look up, mint) for an identity no visitor has.
     */
    void prime() {
        Log.muted(() -> adapter.handle(ApiGatewayAdapter.primingEvent("/refreshToken", primingOrigin,
                "{\"token\":\"priming.not-a.token\"}"), null, renewer::renew));
        renewer.prime();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return adapter.handle(event, context, renewer::renew);
    }
}
