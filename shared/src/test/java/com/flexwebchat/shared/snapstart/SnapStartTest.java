package com.flexwebchat.shared.snapstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioContract;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.chat.VisitorTokens;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.http.HttpResponse;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.LogCapture;
import com.twilio.rest.conversations.v1.ConversationReader;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The priming mechanism on a small handler of shared's own adapters, against the emulator: events
 * made valid for the configuration, Twilio answered from recordings and never written to, one real
 * read, fresh connections after the restore.
 */
class SnapStartTest {

    /** Neither the events' origin nor the URL their signatures were made for: priming must adapt them. */
    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.freshForEachTest()
            .with("ALLOWED_ORIGINS", "https://shop.example.com")
            .with("PUBLIC_BASE_URL", "https://chat.example.com/support");

    /** Answers /refreshToken and /webhooks/studio the way those routes ask Twilio, on shared's adapters. */
    record SmallFunction(WebChatRuntime runtime) implements HttpApiHandler {
        @Override
        public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
            if (event.getRawPath().endsWith("/refreshToken")) {
                VisitorTokens tokens = new VisitorTokens(runtime.tokenVerifier());
                return runtime.browserAdapter().handle(event, context, request -> HttpResponse.ok(Json.object()
                        .put("open", runtime.chats().hasOpenChat(tokens.identity(request, "refused")))));
            }
            if (event.getRawPath().endsWith("/webhooks/studio")) {
                return runtime.webhookAdapter(Duration.ofSeconds(5)).handle(event, context, request -> HttpResponse.ok(
                        Json.object().put("found", runtime.chats().find(request.param("ConversationSid")).isPresent())));
            }
            return runtime.browserAdapter().handle(event, context, request -> HttpResponse.ok(Json.object()
                    .put("conversations", runtime.twilio().<Integer>call("list every conversation",
                            client -> new ConversationReader().firstPage(client).getRecords().size()).intValue())));
        }
    }

    @Test
    void runsTheHandlerOnItsEventsWithRecordedAnswersAndMakesOneRealRead() {
        SnapStart hooks = SnapStart.register(new SmallFunction(twilio.runtime()), twilio.runtime(),
                "refreshToken.json", "webhooks-studio.json");
        twilio.emulator().clearRequests();

        Priming.Report report = hooks.snapshotAndRestore();

        LogCapture logs = twilio.logs();
        assertTrue(logs.text().contains("Primed for the SnapStart snapshot"), logs.text());
        assertFalse(logs.text().contains("Request completed"), "the priming requests are not logged as traffic");

        assertEquals(Map.of("refreshToken.json", 200, "webhooks-studio.json", 200), report.statuses(),
                "an allowed origin, a fresh token and a valid signature reached the endpoints");
        assertEquals(List.of(), report.unanswered());
        assertTrue(report.realRead());
        List<RecordedRequest> reachedTwilio = twilio.emulator().requests();
        assertEquals(1, reachedTwilio.size(), reachedTwilio.toString());
        assertEquals("GET", reachedTwilio.get(0).method());
        assertEquals("snapstart-priming", reachedTwilio.get(0).queryParams().get("Identity").get(0));
    }

    @Test
    void aRequestWithoutARecordingIsAnsweredAsTwilioTimingOutAndNoted() {
        SnapStart hooks = SnapStart.register(new SmallFunction(twilio.runtime()), twilio.runtime(), "initWebchat.json");
        twilio.emulator().clearRequests();

        Priming.Report report = hooks.snapshotAndRestore();

        assertEquals(Map.of("initWebchat.json", 504), report.statuses());
        assertEquals(List.of("GET /conversations/v1/Conversations"), report.unanswered());
        assertEquals(1, twilio.emulator().requests().size(), "only the real read reached Twilio");
    }

    @Test
    void aFailedPrimingIsLoggedAndNeverFailsTheSnapshot() {
        HttpApiHandler broken = (event, context) -> {
            throw new IllegalStateException("broken");
        };
        SnapStart hooks = SnapStart.register(broken, twilio.runtime(), "refreshToken.json");

        hooks.beforeCheckpoint(null);

        LogCapture logs = twilio.logs();
        assertTrue(logs.text().contains("Priming failed"), logs.text());
        assertTrue(logs.text().contains("IllegalStateException"), logs.text());
    }

    @Test
    void afterTheRestoreTwilioCallsWorkOnFreshConnections() {
        SnapStart hooks = SnapStart.register(new SmallFunction(twilio.runtime()), twilio.runtime(), "refreshToken.json");
        hooks.beforeCheckpoint(null);
        twilio.emulator().clearRequests();

        hooks.afterRestore(null);

        assertFalse(twilio.runtime().chats().hasOpenChat("snapstart-priming"));
        assertEquals(1, twilio.emulator().requests().size());
    }

    @Test
    void recordingsAreKeyedByOperationWhateverTheSids() {
        assertEquals("POST /conversations/v1/Services/{IS}/Conversations/{CH}/Messages", TwilioRecordings.key("POST",
                "https://conversations.twilio.com/v1/Services/IS" + "a".repeat(32) + "/Conversations/CH" + "1".repeat(32)
                        + "/Messages"));
        assertEquals("GET /chat/v2/Services/{IS}/Users/{Identity}/Channels", TwilioRecordings.key("GET",
                "https://chat.twilio.com/v2/Services/IS" + "a".repeat(32) + "/Users/ada%40example.com/Channels?PageSize=20"));
        assertEquals("GET /flex-api/v1/Interactions/{KD}/Channels/{UO}", TwilioRecordings.key("GET",
                "https://flex-api.twilio.com/v1/Interactions/KD" + "0".repeat(32) + "/Channels/UO" + "0".repeat(32)));
    }

    /** What priming answers must be what Twilio answers: each recording against Twilio's OpenAPI specs. */
    @Test
    void everyRecordingConformsToTwilioSpecs() throws Exception {
        JsonNode recordings;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(TwilioRecordings.RESOURCE)) {
            recordings = Json.MAPPER.readTree(in);
        }
        TwilioContract contract = TwilioContract.load();
        List<String> violations = new ArrayList<>();
        recordings.fields().forEachRemaining(entry -> {
            String[] key = entry.getKey().split(" ", 2);
            String path = key[1].replaceAll("\\{([A-Z]{2})}", "$1" + "0".repeat(32)).replace("{Identity}", "snapstart-priming");
            ObjectNode recording = (ObjectNode) entry.getValue();
            String body = Json.write(recording.get("body"));
            RecordedRequest request = new RecordedRequest(key[0], path, null, Map.of(), Map.of(), "",
                    recording.get("status").asInt(), body);
            violations.addAll(contract.checkResponse(request, body));
        });
        assertEquals(List.of(), violations);
        assertTrue(recordings.size() >= 20, "a recording for each operation the functions use");
    }
}
