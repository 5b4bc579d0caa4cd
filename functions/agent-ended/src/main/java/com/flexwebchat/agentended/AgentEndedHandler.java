package com.flexwebchat.agentended;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.snapstart.SnapStart;
import com.flexwebchat.shared.webhook.WebhookAdapter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The agent-ended function: {@code POST /webhooks/taskrouter}, the Event Callback URL of Flex's
 * TaskRouter workspace. A thin adapter; the work is in {@link ChatEndings}. Everything is built in
 * the constructor, once per cold start (and captured in the SnapStart snapshot, taken after the
 * route ran on its events/ files).
 */
public final class AgentEndedHandler implements HttpApiHandler {

    /**
     * TaskRouter wants the answer to an event callback within 15 seconds
     * (https://www.twilio.com/docs/taskrouter/api/event/reference, "Event callbacks").
     */
    static final Duration TASKROUTER_TIMEOUT = Duration.ofSeconds(15);
    /**
     * What the handler may spend: 15 s less 5 s for everything outside it (TaskRouter to API
     * Gateway and back, TLS, a SnapStart restore). A read, the notice and the close fit several times.
     */
    static final Duration BUDGET = TASKROUTER_TIMEOUT.minusSeconds(5);
    static final String ROUTE = "/webhooks/taskrouter";
    /**
     * The TaskRouter events this function acts on, sorted: what the workspace's event filter must name
     * ({@code ./run-local wire} sets it from here).
     */
    public static final List<String> EVENTS = Arrays.stream(Ending.values()).map(Ending::eventType).sorted().toList();

    private final WebhookAdapter adapter;
    private final ChatEndings endings;
    @SuppressWarnings({"unused", "FieldCanBeLocal"}) // held so the hooks live as long as the handler
    private final SnapStart snapStart;

    /** Used by the Lambda runtime. */
    public AgentEndedHandler() {
        this(WebChatRuntime.fromEnvironment());
    }

    public AgentEndedHandler(WebChatRuntime runtime) {
        this.endings = new ChatEndings(runtime.chats(), runtime.interactions(), runtime.config().endings(),
                runtime.exactlyOnce());
        this.adapter = runtime.webhookAdapter(BUDGET);
        this.snapStart = SnapStart.register(this, runtime, "webhooks-taskrouter-task-wrapup.json",
                "webhooks-taskrouter-task-canceled.json", "webhooks-taskrouter-task-completed.json");
    }

    @Override
    public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
        return adapter.handle(event, context, endings::handle);
    }
}
