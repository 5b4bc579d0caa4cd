package com.flexwebchat.webchannel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.SnapStartHooks;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.http.ApiGatewayAdapter;

/**
 * The WebChannel function: {@code POST /initWebchat}. A thin adapter; the work is in
 * {@link WebChatStarter}. Everything expensive is built in the constructor, once per cold start
 * (and so captured in the SnapStart snapshot).
 */
public final class WebChannelHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final ApiGatewayAdapter adapter;
    private final WebChatStarter starter;
    private final ChatOrchestration orchestration;
    private final String primingOrigin;
    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // held so the hooks live as long as the handler
    private final SnapStartHooks snapStart;

    /** Used by the Lambda runtime. */
    public WebChannelHandler() {
        this(WebChatRuntime.fromEnvironment());
    }

    public WebChannelHandler(WebChatRuntime runtime) {
        WebChatConfig config = runtime.config();
        ChatOrchestration orchestration = config.legacy()
                ? new LegacyProgrammableChat(runtime.twilio(), config.flexFlowSid(), config.chatServiceSid())
                : new FlexConversations(runtime.twilio(), config.addressSid(), config.conversationsServiceSid());
        this.orchestration = orchestration;
        this.adapter = runtime.browserAdapter();
        this.starter = new WebChatStarter(orchestration, runtime.tokenIssuer());
        this.primingOrigin = runtime.anyAllowedOrigin();
        this.snapStart = SnapStartHooks.register(this::prime, runtime.twilio());
    }

    /**
     * SnapStart priming: the whole request path up to the form check (a form it refuses, so
     * nothing is created), a token, and the orchestration's reads.
     */
    void prime() {
        Log.muted(() -> adapter.handle(ApiGatewayAdapter.primingEvent("/initWebchat", primingOrigin,
                "{\"formData\":{\"friendlyName\":\"Priming\",\"email\":\"not-an-address\"}}"), null, starter::start));
        starter.prime();
        orchestration.prime();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return adapter.handle(event, context, starter::start);
    }
}
