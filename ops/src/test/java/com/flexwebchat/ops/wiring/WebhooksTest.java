package com.flexwebchat.ops.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.flexwebchat.agentended.AgentEndedHandler;
import com.flexwebchat.conversations.ConversationsWebhookHandler;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.harness.SamTemplate.SamRoute;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the wiring tells Twilio matches what is deployed: template.yaml's routes, the handlers' events. */
class WebhooksTest {

    private static final SamTemplate TEMPLATE = SamTemplate.load(Path.of(System.getProperty("project.root", "../.."))
            .resolve("template.yaml"));

    private static String handlerOf(String path) {
        SamRoute route = TEMPLATE.route("POST", path)
                .orElseThrow(() -> new AssertionError("template.yaml has no POST " + path));
        return TEMPLATE.function(route).handler();
    }

    @Test
    void eachRouteIsTheOneTemplateYamlGivesTheFunctionWhoseEventsItCarries() {
        assertEquals(ConversationsWebhookHandler.class.getName(), handlerOf(Webhooks.CONVERSATIONS_ROUTE));
        assertEquals(AgentEndedHandler.class.getName(), handlerOf(Webhooks.TASKROUTER_ROUTE));
    }

    @Test
    void theEventsAreTheHandlersOwnAndTheEventsFilterJoinsThem() {
        assertSame(ConversationsWebhookHandler.EVENTS, Webhooks.CONVERSATIONS_EVENTS);
        assertSame(AgentEndedHandler.EVENTS, Webhooks.TASKROUTER_EVENTS);
        assertEquals(String.join(",", AgentEndedHandler.EVENTS), Webhooks.TASKROUTER_EVENTS_FILTER);
        assertEquals("task.canceled,task.completed,task.wrapup", Webhooks.TASKROUTER_EVENTS_FILTER,
                "TaskRouter's EventsFilter: the event types, comma-separated, no spaces");
    }
}
