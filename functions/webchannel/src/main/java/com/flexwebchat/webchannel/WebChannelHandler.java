package com.flexwebchat.webchannel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.SnapStartHooks;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.chat.ChatLookup;
import com.flexwebchat.shared.chat.VisitorTokens;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.Endpoint;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.config.WebChatConfig;
import com.flexwebchat.shared.http.ApiGatewayAdapter;
import java.util.Map;

/**
 * The WebChannel function: {@code POST /initWebchat} ({@link WebChatStarter}) and
 * {@code POST /endChat} ({@link WebChatEnder}). A thin adapter with a route table; the work is in
 * those two. Everything expensive is built in the constructor, once per cold start (and so
 * captured in the SnapStart snapshot).
 */
public final class WebChannelHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final ApiGatewayAdapter adapter;
    private final WebChatStarter starter;
    private final WebChatEnder ender;
    private final ChatOrchestration orchestration;
    /** The route's last path segment (a stage in front of it is API Gateway's business) to its endpoint. */
    private final Map<String, Endpoint> routes;
    private final String primingOrigin;
    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // held so the hooks live as long as the handler
    private final SnapStartHooks snapStart;

    /** Used by the Lambda runtime. */
    public WebChannelHandler() {
        this(WebChatRuntime.fromEnvironment());
    }

    public WebChannelHandler(WebChatRuntime runtime) {
        WebChatConfig config = runtime.config();
        String customerLeft = config.endings().customerLeftMessage();
        ChatOrchestration orchestration;
        ChatEnding ending;
        if (config.legacy()) {
            orchestration = new LegacyProgrammableChat(runtime.twilio(), config.flexFlowSid(), config.chatServiceSid());
            ending = new LegacyChatEnding(runtime.twilio(), config.chatServiceSid(), customerLeft);
        } else {
            orchestration = new FlexConversations(runtime.twilio(), config.addressSid(), config.conversationsServiceSid(),
                    config.endings());
            String workspaceSid = config.webhooks().taskrouterWorkspaceSid();
            ending = new ConversationEnding(runtime.twilio(), config.conversationsServiceSid(), customerLeft,
                    workspaceSid == null ? null : new FlexInteractions(runtime.twilio(), workspaceSid));
        }
        this.orchestration = orchestration;
        this.adapter = runtime.browserAdapter();
        this.starter = new WebChatStarter(orchestration, runtime.tokenIssuer());
        this.ender = new WebChatEnder(new VisitorTokens(runtime.tokenVerifier()), ChatLookup.of(config, runtime.twilio()),
                ending, runtime.tokenIssuer());
        this.routes = Map.of("/initWebchat", starter::start, "/endChat", ender::end);
        this.primingOrigin = runtime.anyAllowedOrigin();
        this.snapStart = SnapStartHooks.register(this::prime, runtime.twilio());
    }

    /**
     * SnapStart priming: each route's whole request path up to its input checks (a form, a token
     * it refuses, so nothing is created), a token minted and verified, and the orchestration's
     * one read at Twilio.
     */
    void prime() {
        Log.muted(() -> {
            adapter.handle(ApiGatewayAdapter.primingEvent("/initWebchat", primingOrigin,
                    "{\"formData\":{\"friendlyName\":\"Priming\",\"email\":\"not-an-address\"}}"), null, this::route);
            adapter.handle(ApiGatewayAdapter.primingEvent("/endChat", primingOrigin,
                    "{\"token\":\"priming.not-a.token\"}"), null, this::route);
        });
        starter.prime();
        ender.prime();
        orchestration.prime();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return adapter.handle(event, context, this::route);
    }

    private HttpResponse route(HttpRequest request) {
        String path = request.path() == null ? "" : request.path();
        Endpoint endpoint = routes.get(path.substring(Math.max(0, path.lastIndexOf('/'))));
        if (endpoint == null) {
            throw ApiError.notFound("No such route; use POST /initWebchat or POST /endChat");
        }
        return endpoint.handle(request);
    }
}
