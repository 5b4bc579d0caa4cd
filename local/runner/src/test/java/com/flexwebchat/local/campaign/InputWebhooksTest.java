package com.flexwebchat.local.campaign;

import static com.flexwebchat.local.campaign.InputCampaign.ACCOUNT;
import static com.flexwebchat.local.campaign.InputCampaign.assert4xxWithErrorShape;
import static com.flexwebchat.local.campaign.InputCampaign.assertErrorShape;
import static com.flexwebchat.local.campaign.InputCampaign.assertNothingReachedTwilio;
import static com.flexwebchat.local.campaign.InputCampaign.assertNothingWrittenToTwilio;
import static com.flexwebchat.local.campaign.InputCampaign.signedForm;
import static com.flexwebchat.local.campaign.InputCampaign.signedJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.agentended.AgentEndedHandler;
import com.flexwebchat.conversations.ConversationsWebhookHandler;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.harness.HttpApiEvents;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import com.flexwebchat.shared.testing.property.Seeds;
import com.flexwebchat.studio.StudioWebhookHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The webhook routes' contract over malformed input, through the real handlers: a request Twilio
 * signed (a valid X-Twilio-Signature) over garbage (fields missing, of the wrong type, huge, in
 * any script, unknown event types, SIDs that are not SIDs) is never answered 5xx and never writes
 * to Twilio; a request not signed, or signed over something else, is 403 in the error shape with
 * nothing reaching Twilio.
 */
@ExtendWith(Seeds.class)
class InputWebhooksTest {

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid());

    StudioWebhookHandler studio;
    ConversationsWebhookHandler conversations;
    AgentEndedHandler taskrouter;

    @BeforeEach
    void handlers() {
        studio = new StudioWebhookHandler(twilio.runtime());
        conversations = new ConversationsWebhookHandler(twilio.runtime());
        taskrouter = new AgentEndedHandler(twilio.runtime());
    }

    APIGatewayV2HTTPResponse deliver(String route, APIGatewayV2HTTPEvent event) {
        LocalContext context = new LocalContext("WebhookFunction", Duration.ofSeconds(15));
        return switch (route) {
            case InputCampaign.STUDIO -> studio.handle(event, context);
            case InputCampaign.CONVERSATIONS -> conversations.handle(event, context);
            default -> taskrouter.handle(event, context);
        };
    }

    // --- garbage, as Twilio would sign it ---------------------------------------------------------------

    /** The parameters each route reads, and others Twilio sends. */
    static final Map<String, List<String>> NAMES = Map.of(
            InputCampaign.STUDIO, List.of("ConversationSid", "ChannelSid", "FlowSid", "AccountSid"),
            InputCampaign.CONVERSATIONS, List.of("EventType", "ConversationSid", "Body", "Author", "Attributes", "ParticipantSid",
                    "Identity", "MessageSid", "Source", "ClientIdentity", "ChatServiceSid", "AccountSid", "RoleSid"),
            InputCampaign.TASKROUTER, List.of("EventType", "Sid", "TaskSid", "TaskAttributes", "TaskChannelUniqueName",
                    "TaskAssignmentStatus", "ResourceSid", "WorkspaceSid", "AccountSid", "Timestamp", "TaskAge"));

    static final List<String> EVENT_TYPES = List.of("onMessageAdd", "onMessageUpdate", "onParticipantAdded", "onConversationUpdated",
            "onMessageRemoved", "task.wrapup", "task.canceled", "task.completed", "task.created", "reservation.accepted",
            "workflow.timeout", "ONMESSAGEADD", "Task.Wrapup", "onMessageAdd ", "task.wrapup\u0000", "onMessageAdd\u200B");

    static Gen<String> valueFor(String name) {
        return switch (name) {
            case "EventType" -> Gen.oneOf(Gen.element(EVENT_TYPES), Gen.element(EVENT_TYPES), InputCampaign.anyText());
            case "ConversationSid", "ChannelSid" -> InputCampaign.badSid("CH");
            case "ParticipantSid" -> InputCampaign.badSid("MB");
            case "Sid" -> InputCampaign.badSid("EV");
            case "TaskSid", "ResourceSid" -> InputCampaign.badSid("WT");
            case "Attributes", "TaskAttributes" -> Gen.oneOf(garbageJson(), InputCampaign.anyText());
            default -> InputCampaign.anyText();
        };
    }

    /** JSON of the wrong shape: wrong types where strings go, deep, huge, not JSON at all. */
    static Gen<String> garbageJson() {
        return Gen.oneOf(
                Gen.element("{}", "[]", "null", "1", "\"x\"", "{\"channelType\":5}", "{\"channelType\":\"web\"}",
                        "{\"channelType\":\"web\",\"conversationSid\":7}", "{\"channelType\":\"web\",\"conversationSid\":[\"CH1\"]}",
                        "{\"channelType\":[\"web\"],\"conversationSid\":{}}", "{\"channelType\":\"web\",\"channelSid\":null}",
                        "{\"channelType\":\"web\",\"conversationSid\":\"CH" + "0".repeat(31) + "\"}", "{\"a\":", "{\"a\":1}}",
                        "{\"channelType\":\"web\",\"conversationSid\":\"" + "CH" + "f".repeat(32) + "\",\"channelSid\":\"CH" + "e".repeat(32) + "\"}"),
                random -> "[".repeat(20 + random.nextInt(60)) + "]".repeat(20 + random.nextInt(60)),
                random -> "{\"channelType\":\"web\",\"conversationSid\":\"CH" + InputCampaign.hex(random, 32) + "\",\"x\":\""
                        + "y".repeat(random.nextInt(3_000)) + "\"}");
    }

    /** One delivery: the route, its parameters, and whether it goes as a form or as JSON. */
    record Delivery(String route, Map<String, List<String>> params, boolean json, String jsonBody) {
    }

    static Gen<Delivery> garbage() {
        return random -> {
            String route = Gen.element(InputCampaign.WEBHOOK_ROUTES).next(random);
            Map<String, List<String>> params = new LinkedHashMap<>();
            for (String name : NAMES.get(route)) {
                if (random.nextInt(4) == 0) {
                    continue; // missing
                }
                List<String> values = new ArrayList<>();
                int n = random.nextInt(8) == 0 ? 2 : 1; // sometimes repeated
                for (int i = 0; i < n; i++) {
                    values.add(valueFor(name).next(random));
                }
                params.put(name, values);
            }
            int unknown = random.nextInt(3);
            for (int i = 0; i < unknown; i++) {
                params.put(InputCampaign.text(1, 20).next(random), List.of(InputCampaign.anyText().next(random)));
            }
            // Mostly forms (Twilio's encoding); Studio's widget can send JSON, with values of any type.
            boolean json = route.equals(InputCampaign.STUDIO) ? random.nextBoolean() : random.nextInt(6) == 0;
            return new Delivery(route, params, json, json ? jsonOf(params, random) : null);
        };
    }

    static String jsonOf(Map<String, List<String>> params, SplittableRandom random) {
        ObjectNode body = Json.object();
        params.forEach((name, values) -> {
            switch (random.nextInt(6)) {
                case 0 -> body.put(name, random.nextLong());
                case 1 -> body.putArray(name).add(values.get(0)).add(1);
                case 2 -> body.putObject(name).put("value", values.get(0));
                case 3 -> body.putNull(name);
                default -> body.put(name, values.get(0));
            }
        });
        return Json.write(body);
    }

    @Test
    void signedGarbageIsNever5xxAndWritesNothingToTwilio(Property property) {
        property.forAll("signed garbage to the webhooks", 900, Duration.ofSeconds(20), garbage(), null, delivery -> {
            twilio.emulator().clearRequests();
            APIGatewayV2HTTPEvent event = delivery.json()
                    ? signedJson(delivery.route(), delivery.jsonBody())
                    : signedForm(delivery.route(), delivery.params());
            APIGatewayV2HTTPResponse response = deliver(delivery.route(), event);
            assertTrue(response.getStatusCode() < 500, () -> response.getStatusCode() + " " + response.getBody());
            assertTrue(response.getStatusCode() != 403, () -> "the signature was refused: " + response.getBody());
            if (response.getStatusCode() >= 400) {
                assertErrorShape(response);
            }
            assertNothingWrittenToTwilio(twilio.emulator());
        });
    }

    /** Signatures that are not Twilio's: none, garbage, another token's, over other parameters, another URL. */
    record Forged(String route, Map<String, List<String>> params, String signature, String why) {
    }

    static Gen<Forged> forged() {
        return random -> {
            String route = Gen.element(InputCampaign.WEBHOOK_ROUTES).next(random);
            Map<String, List<String>> params = new LinkedHashMap<>();
            params.put("EventType", List.of(Gen.element(EVENT_TYPES).next(random)));
            params.put("ConversationSid", List.of("CH" + InputCampaign.hex(random, 32)));
            params.put("TaskAttributes", List.of("{\"channelType\":\"web\",\"conversationSid\":\"CH" + InputCampaign.hex(random, 32) + "\"}"));
            Map<String, List<String>> other = new LinkedHashMap<>(params);
            other.put("ConversationSid", List.of("CH" + InputCampaign.hex(random, 32)));
            String url = SignedWebhooks.url(route);
            return switch (random.nextInt(7)) {
                case 0 -> new Forged(route, params, null, "no signature");
                case 1 -> new Forged(route, params, "", "empty signature");
                case 2 -> new Forged(route, params, InputCampaign.anyText().next(random).replace("\n", ""), "garbage");
                case 3 -> new Forged(route, params, TwilioEmulator.signature("0".repeat(32), url, params), "another auth token");
                case 4 -> new Forged(route, params, TwilioEmulator.signature(ACCOUNT.authToken(), url, other), "other parameters");
                case 5 -> new Forged(route, params, TwilioEmulator.signature(ACCOUNT.authToken(), url + "x", params), "another URL");
                default -> new Forged(route, params, TwilioEmulator.signature(ACCOUNT.authToken(),
                        SignedWebhooks.url(InputCampaign.WEBHOOK_ROUTES.get(random.nextInt(3)) + "/"), params), "another route");
            };
        };
    }

    @Test
    void requestsNotSignedByTwilioAre403AndReachNothing(Property property) {
        property.forAll("forged webhooks", 300, forged(), forged -> {
            twilio.emulator().clearRequests();
            APIGatewayV2HTTPResponse response = deliver(forged.route(), SignedWebhooks.formPost(forged.route(), forged.params(), forged.signature()));
            assertEquals(403, response.getStatusCode(), response.getBody());
            assert4xxWithErrorShape(response);
            assertEquals("invalid_signature", Json.parse(response.getBody()).at("/error/code").asText());
            assertNothingReachedTwilio(twilio.emulator());
        });
    }

    /** A JSON body whose bodySHA256 is someone else's: refused, nothing reached. */
    @Test
    void aJsonBodyThatIsNotTheOneSignedIsRefused(Property property) {
        property.forAll("JSON body swapped", 100, garbageJson().with(garbageJson(), (signed, sent) -> List.of(signed, sent)), pair -> {
            if (pair.get(0).equals(pair.get(1))) {
                return;
            }
            twilio.emulator().clearRequests();
            APIGatewayV2HTTPEvent event = signedJson(InputCampaign.STUDIO, pair.get(0));
            APIGatewayV2HTTPEvent tampered = HttpApiEvents.request("POST", InputCampaign.STUDIO, InputCampaign.STUDIO,
                    event.getRawQueryString(), event.getHeaders(), pair.get(1), false);
            APIGatewayV2HTTPResponse response = deliver(InputCampaign.STUDIO, tampered);
            assertEquals(403, response.getStatusCode(), response.getBody());
            assertNothingReachedTwilio(twilio.emulator());
        });
    }

    static JsonNode body(APIGatewayV2HTTPResponse response) throws Exception {
        return response.getBody() == null || response.getBody().isEmpty() ? null : Json.parse(response.getBody());
    }
}
