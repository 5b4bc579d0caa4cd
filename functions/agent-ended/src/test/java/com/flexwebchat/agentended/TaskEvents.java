package com.flexwebchat.agentended;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TaskRouter event callbacks as Flex's workspace sends them to {@code /webhooks/taskrouter}
 * (https://www.twilio.com/docs/taskrouter/api/event/reference): form-encoded, signed with the
 * account's auth token, delivered through API Gateway.
 */
final class TaskEvents {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String PATH = AgentEndedHandler.ROUTE;
    static final String URL = SignedWebhooks.url(PATH);
    static final String TASK_SID = "WT00112233445566778899aabbccddeeff";

    private TaskEvents() {
    }

    /** A task event of Flex's workspace, as TaskRouter posts it for a task in {@code assignmentStatus}. */
    static Map<String, List<String>> taskEvent(String eventType, String assignmentStatus, String taskChannel,
                                               String taskAttributes) {
        return SignedWebhooks.form(
                "Sid", "EV" + "0".repeat(31) + "1",
                "AccountSid", ACCOUNT.accountSid(),
                "WorkspaceSid", ACCOUNT.taskrouterWorkspaceSid(),
                "WorkspaceName", "Flex Task Assignment",
                "EventType", eventType,
                "EventDescription", "Task " + TASK_SID + " " + assignmentStatus,
                "ResourceType", "Task",
                "ResourceSid", TASK_SID,
                "Timestamp", "1795169400",
                "TimestampMs", "1795169400123",
                "TaskSid", TASK_SID,
                "TaskAttributes", taskAttributes,
                "TaskAge", "312",
                "TaskPriority", "0",
                "TaskAssignmentStatus", assignmentStatus,
                "TaskChannelSid", "TC" + "1".repeat(32),
                "TaskChannelUniqueName", taskChannel,
                "TaskQueueSid", "WQ" + "2".repeat(32),
                "TaskQueueName", "Everyone",
                "WorkflowSid", "WW" + "3".repeat(32),
                "WorkflowName", "Assign to Anyone");
    }

    static Map<String, List<String>> wrapup(String taskAttributes) {
        return taskEvent("task.wrapup", "wrapping", "chat", taskAttributes);
    }

    static Map<String, List<String>> canceled(String taskAttributes) {
        Map<String, List<String>> event = taskEvent("task.canceled", "canceled", "chat", taskAttributes);
        event.put("TaskCanceledReason", List.of("Task TTL Exceeded"));
        return event;
    }

    static Map<String, List<String>> completed(String taskAttributes) {
        Map<String, List<String>> event = taskEvent("task.completed", "completed", "chat", taskAttributes);
        event.put("TaskCompletedReason", List.of("completed"));
        return event;
    }

    /** A web chat task's attributes as Studio's Send to Flex leaves them for a Flex Conversations chat. */
    static String conversationTask(String conversationSid) {
        return Json.write(visitor().put("channelType", "web").put("conversationSid", conversationSid));
    }

    /** A Flex Conversations task with the interaction Flex routes it for. */
    static String interactionTask(String conversationSid, String interactionSid, String interactionChannelSid) {
        return Json.write(visitor().put("channelType", "web").put("conversationSid", conversationSid)
                .put("flexInteractionSid", interactionSid).put("flexInteractionChannelSid", interactionChannelSid));
    }

    /** What the visitor typed: it must never reach the logs. */
    static ObjectNode visitor() {
        return Json.object().put("name", "Ada Lovelace").put("email", "ada@example.com")
                .put("initial_question", "Where is order 4711?").put("direction", "inbound");
    }

    /** Signed with the account's auth token, to the function on the test's Twilio. */
    static APIGatewayV2HTTPResponse deliver(EmulatedTwilio twilio, Map<String, List<String>> form) {
        return deliver(new AgentEndedHandler(twilio.runtime()), form);
    }

    static APIGatewayV2HTTPResponse deliver(EmulatedTwilio twilio, Map<String, List<String>> form, String signature) {
        return deliver(new AgentEndedHandler(twilio.runtime()), form, signature);
    }

    static APIGatewayV2HTTPResponse deliver(AgentEndedHandler handler, Map<String, List<String>> form) {
        return deliver(handler, form, TwilioEmulator.signature(ACCOUNT.authToken(), URL, form));
    }

    /**
     * Signed, with the delivery's {@code I-Twilio-Idempotency-Token}: the same for Twilio's retries of
     * one delivery, but another for the same event delivered by another callback configuration.
     */
    static APIGatewayV2HTTPResponse deliverWithToken(AgentEndedHandler handler, Map<String, List<String>> form,
                                                     String idempotencyToken) {
        Map<String, String> headers = new LinkedHashMap<>(SignedWebhooks.headers("application/x-www-form-urlencoded; charset=UTF-8",
                TwilioEmulator.signature(ACCOUNT.authToken(), URL, form)));
        headers.put("i-twilio-idempotency-token", idempotencyToken);
        return handler.handle(HttpApiEvents.request("POST", PATH, PATH, "", headers, SignedWebhooks.encode(form), true),
                new LocalContext("AgentEndedFunction", Duration.ofSeconds(12)));
    }

    static APIGatewayV2HTTPResponse deliver(AgentEndedHandler handler, Map<String, List<String>> form, String signature) {
        return handler.handle(SignedWebhooks.formPost(PATH, form, signature),
                new LocalContext("AgentEndedFunction", Duration.ofSeconds(12)));
    }
}
