package com.flexwebchat.agentended;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.Handlers;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SamLocalInvoke;
import com.flexwebchat.harness.SamTemplate;
import com.flexwebchat.shared.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TaskRouter events in events/ run as {@code sam local invoke AgentEndedFunction -e ...
 * --env-vars env.example.json} would run them, signed with the emulator's auth token
 * (events/README.md) for the URL their API Gateway headers describe. Their chat
 * ({@code CH00112233445566778899aabbccddeeff}) is not in a fresh emulator: Twilio is asked once,
 * answers 404, and the event is acknowledged with nothing to end.
 */
class SamLocalInvokeTest {

    static final String LOGICAL_ID = "AgentEndedFunction";
    static final String HANDLER = "com.flexwebchat.agentended.AgentEndedHandler::handleRequest";
    static final String CONVERSATION = "/conversations/v1/Services/IS0123456789abcdef0123456789abcdef"
            + "/Conversations/CH00112233445566778899aabbccddeeff";

    static TwilioEmulator twilio;

    @BeforeAll
    static void start() {
        twilio = TwilioEmulator.start(0);
    }

    @AfterAll
    static void stop() {
        twilio.close();
    }

    @BeforeEach
    void clear() {
        twilio.clearRequests();
    }

    /**
     * {@code SamLocalInvoke.invokeExample} once template.yaml and env.example.json both declare the
     * function. Until then (neither file is this module's), the same steps: the handler string the
     * template names (or is to name), and the Conversations webhook's variables, which are this
     * function's too.
     */
    static APIGatewayV2HTTPResponse invoke(String event) throws IOException {
        Path root = SamLocalInvoke.projectRoot();
        Optional<SamTemplate.SamFunction> declared = SamTemplate.load(root.resolve("template.yaml")).functions().stream()
                .filter(f -> f.logicalId().equals(LOGICAL_ID)).findFirst();
        declared.ifPresent(function -> assertEquals(HANDLER, function.handler()));
        Path envFile = root.resolve("env.example.json");
        if (declared.isPresent() && !SamLocalInvoke.envVars(envFile, LOGICAL_ID).isEmpty()) {
            return SamLocalInvoke.invokeExample(LOGICAL_ID, event, twilio.baseUrl());
        }
        Map<String, String> env = new LinkedHashMap<>(SamLocalInvoke.envVars(envFile, "ConversationsWebhookFunction"));
        env.put("TWILIO_API_BASE_URL", twilio.baseUrl());
        APIGatewayV2HTTPEvent request = HttpApiEvents.fromJson(Files.readString(root.resolve("events").resolve(event)));
        Duration timeout = Duration.ofSeconds(declared.map(SamTemplate.SamFunction::timeoutSeconds).orElse(14));
        APIGatewayV2HTTPResponse[] response = {null};
        Log.muted(() -> response[0] = Handlers.instantiate(HANDLER, env)
                .handleRequest(request, new LocalContext(LOGICAL_ID, timeout)));
        return response[0];
    }

    static void assertAskedOnceAndNothingWritten() {
        assertEquals(1, twilio.requests("GET", CONVERSATION).size(), twilio.requests().toString());
        assertEquals(1, twilio.requests().size(), twilio.requests().toString());
        assertEquals(List.of(), twilio.contractViolations());
    }

    @Test
    void aWrapupForAChatTwilioDoesNotKnowIsAcknowledged() throws IOException {
        APIGatewayV2HTTPResponse response = invoke("webhooks-taskrouter-task-wrapup.json");

        assertEquals(204, response.getStatusCode(), response.getBody());
        assertEquals("", response.getBody());
        assertAskedOnceAndNothingWritten();
    }

    @Test
    void aCanceledTaskForAChatTwilioDoesNotKnowIsAcknowledged() throws IOException {
        APIGatewayV2HTTPResponse response = invoke("webhooks-taskrouter-task-canceled.json");

        assertEquals(204, response.getStatusCode(), response.getBody());
        assertAskedOnceAndNothingWritten();
    }

    @Test
    void aCompletedTaskForAChatTwilioDoesNotKnowIsAcknowledged() throws IOException {
        APIGatewayV2HTTPResponse response = invoke("webhooks-taskrouter-task-completed.json");

        assertEquals(204, response.getStatusCode(), response.getBody());
        assertAskedOnceAndNothingWritten();
    }
}
