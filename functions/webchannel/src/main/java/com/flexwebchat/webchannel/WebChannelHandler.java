package com.flexwebchat.webchannel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.http.ApiError;
import com.flexwebchat.shared.http.ApiGatewayAdapter;
import com.flexwebchat.shared.http.Endpoint;
import com.flexwebchat.shared.http.HttpRequest;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.snapstart.SnapStart;
import java.util.Map;

/**
 * The WebChannel function: {@code POST /initWebchat} ({@link WebChatStarter}) and
 * {@code POST /endChat} ({@link WebChatEnder}). A thin adapter with a route table; the work is in
 * those two. Everything expensive is built in the constructor, once per cold start (and so
 * captured in the SnapStart snapshot, taken after both routes ran on their events/ files).
 */
public final class WebChannelHandler implements HttpApiHandler {

    private final ApiGatewayAdapter adapter;
    /** The route's last path segment (a stage in front of it is API Gateway's business) to its endpoint. */
    private final Map<String, Endpoint> routes;
    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // held so the hooks live as long as the handler
    private final SnapStart snapStart;

    /** Used by the Lambda runtime. */
    public WebChannelHandler() {
        this(WebChatRuntime.fromEnvironment());
    }

    public WebChannelHandler(WebChatRuntime runtime) {
        WebChatStarter starter = new WebChatStarter(runtime);
        WebChatEnder ender = new WebChatEnder(runtime);
        this.adapter = runtime.browserAdapter();
        this.routes = Map.of("/initWebchat", starter::start, "/endChat", ender::end);
        this.snapStart = SnapStart.register(this, runtime, "initWebchat.json", "endChat.json");
    }

    @Override
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
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
