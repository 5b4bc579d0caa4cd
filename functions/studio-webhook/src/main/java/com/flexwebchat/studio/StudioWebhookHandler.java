package com.flexwebchat.studio;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.snapstart.SnapStart;
import com.flexwebchat.shared.webhook.WebhookAdapter;
import java.time.Duration;

/**
 * The Studio webhook function: {@code POST /webhooks/studio}, called by the Studio flow's Make
 * HTTP Request widget. A thin adapter; the work is in {@link StudioContext}. Everything expensive
 * is built in the constructor, once per cold start (and so captured in the SnapStart snapshot,
 * taken after the route ran on its events/ file).
 */
public final class StudioWebhookHandler implements HttpApiHandler {

    /**
     * Studio's Make HTTP Request widget waits 10 s for a 2xx answer and otherwise takes its
     * {@code failed} transition ("The HTTP response from the URL must return a 2xx status code
     * within 10 seconds", https://www.twilio.com/docs/studio/widget-library/http-request; "Ten
     * seconds is the maximum time the Studio HTTP Request Widget and Run Function Widget
     * synchronously waits for a response",
     * https://www.twilio.com/en-us/blog/handle-long-running-asynchronous-operations-studio).
     */
    static final Duration STUDIO_HTTP_TIMEOUT = Duration.ofSeconds(10);
    /**
     * What the handler may spend: Studio's 10 s less 3 s for everything outside it (Studio to API
     * Gateway and back, TLS, a SnapStart restore). One Twilio read of at most 4 s, retried once
     * after a 5xx, fits.
     */
    static final Duration BUDGET = STUDIO_HTTP_TIMEOUT.minusSeconds(3);

    private final WebhookAdapter adapter;
    private final StudioContext context;
    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // held so the hooks live as long as the handler
    private final SnapStart snapStart;

    /** Used by the Lambda runtime. */
    public StudioWebhookHandler() {
        this(WebChatRuntime.fromEnvironment());
    }

    public StudioWebhookHandler(WebChatRuntime runtime) {
        this.adapter = runtime.webhookAdapter(BUDGET);
        this.context = new StudioContext(runtime.chats(), runtime.config().webhooks(), runtime.clock());
        this.snapStart = SnapStart.register(this, runtime, "webhooks-studio.json");
    }

    @Override
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        return adapter.handle(event, context, this.context::answer);
    }
}
