package com.flexwebchat.local.campaign;

import static com.flexwebchat.local.campaign.InputCampaign.ACCOUNT;
import static com.flexwebchat.local.campaign.InputCampaign.assertNoCard;
import static com.flexwebchat.local.campaign.InputCampaign.browserEvent;
import static com.flexwebchat.local.campaign.InputCampaign.browserHeaders;
import static com.flexwebchat.local.campaign.InputCampaign.signedForm;
import static com.flexwebchat.local.campaign.InputCampaign.twilioTexts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.conversations.ConversationsWebhookHandler;
import com.flexwebchat.harness.LocalContext;
import com.flexwebchat.harness.SignedWebhooks;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.flexwebchat.shared.testing.property.Cards;
import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import com.flexwebchat.shared.testing.property.Seeds;
import com.flexwebchat.studio.StudioWebhookHandler;
import com.flexwebchat.webchannel.WebChannelHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No card number in any form (in values and in names; digits split by spaces, dashes, dots,
 * slashes, tabs, zero-width characters, no-break spaces; digits of other scripts) reaches Twilio
 * (what the emulator recorded: paths, queries, form names and values, bodies, and for the
 * pre-event webhook the message Conversations would store) or a log line; and ordinary numbers
 * pass unchanged. Through the real handlers, with {@link Cards}' oracle, written apart from the
 * redactor.
 */
@ExtendWith(Seeds.class)
class InputCardNumbersTest {

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass()
            .with("TASKROUTER_WORKSPACE_SID", ACCOUNT.taskrouterWorkspaceSid())
            .with("ROUTING_FIELDS", "department,account,note");

    WebChannelHandler webChannel;
    ConversationsWebhookHandler conversations;
    StudioWebhookHandler studio;

    @BeforeEach
    void handlers() {
        webChannel = new WebChannelHandler(twilio.runtime());
        conversations = new ConversationsWebhookHandler(twilio.runtime());
        studio = new StudioWebhookHandler(twilio.runtime());
    }

    static LocalContext context() {
        return new LocalContext("Function", Duration.ofSeconds(10));
    }

    /** Text with cards in it, and the cards. */
    record Carded(List<String> pans, String text) {
    }

    static Gen<Carded> carded() {
        return random -> {
            List<String> pans = new ArrayList<>();
            StringBuilder text = new StringBuilder(Gen.element("", "hi ", "Hola, ", "こんにちは ").next(random));
            int n = 1 + random.nextInt(2);
            for (int i = 0; i < n; i++) {
                String pan = Cards.pans().next(random);
                pans.add(pan);
                text.append(Cards.inText(Cards.written(pan)).next(random)).append(Gen.element(" and ", " / ", "\n", " 🙂 ").next(random));
            }
            return new Carded(pans, text.toString());
        };
    }

    record Form(List<String> pans, ObjectNode formData) {
    }

    static Gen<Form> formsWithCards() {
        return random -> {
            List<String> pans = new ArrayList<>();
            ObjectNode formData = Json.object().put("email", "ada@example.com");
            int fields = 1 + random.nextInt(5);
            for (int i = 0; i < fields; i++) {
                String pan = Cards.pans().next(random);
                pans.add(pan);
                String written = Cards.inText(Cards.written(pan)).next(random);
                String name = written.codePointCount(0, written.length()) <= 64 ? written : "field" + i;
                switch (random.nextInt(4)) {
                    case 0 -> formData.put(name, "yes");
                    case 1 -> formData.put("friendlyName", written);
                    case 2 -> formData.put("query", written);
                    default -> formData.put(Gen.element("department", "account", "note").next(random), written);
                }
            }
            return new Form(pans, formData);
        };
    }

    @Test
    void cardsTypedIntoThePreEngagementFormReachNeitherTwilioNorTheLogs(Property property) {
        property.forAll("cards in /initWebchat's form", 120, formsWithCards(), form -> {
            twilio.emulator().clearRequests();
            int logged = twilio.logs().text().length();
            APIGatewayV2HTTPResponse response = webChannel.handle(browserEvent("POST", "/initWebchat",
                    browserHeaders("application/json"), "{\"formData\":" + Json.write(form.formData()) + "}", false), context());
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertTrue(!twilio.emulator().requests().isEmpty(), "a chat was started");
            assertNoCard(form.pans(), twilioTexts(twilio.emulator()), "Twilio");
            assertNoCard(form.pans(), List.of(InputCampaign.logsSince(twilio.logs().text(), logged)), "the logs");
        });
    }

    static Map<String, List<String>> messageAdd(String conversationSid, String body, String attributes) {
        return SignedWebhooks.form("AccountSid", ACCOUNT.accountSid(), "ChatServiceSid", ACCOUNT.conversationsServiceSid(),
                "EventType", "onMessageAdd", "Source", "SDK", "ClientIdentity", "visitor", "ConversationSid", conversationSid,
                "Body", body, "Author", "visitor", "Attributes", attributes);
    }

    /**
     * The pre-event webhook's answer decides what Conversations stores: a 2xx with {@code body} (and
     * {@code attributes}) replaces the message, a 2xx with no content keeps it, a 4xx or 5xx rejects it.
     */
    static List<String> stored(APIGatewayV2HTTPResponse response, String body, String attributes) throws Exception {
        if (response.getStatusCode() >= 300) {
            return List.of();
        }
        JsonNode answer = response.getBody() == null || response.getBody().isEmpty() ? null : Json.parse(response.getBody());
        String storedBody = answer != null && answer.has("body") ? answer.get("body").asText() : body;
        String storedAttributes = answer != null && answer.has("attributes") ? answer.get("attributes").asText() : attributes;
        return List.of(storedBody, storedAttributes);
    }

    @Test
    void cardsInAMessageOrItsAttributesAreMaskedBeforeConversationsStoresIt(Property property) {
        Gen<List<Carded>> messages = Gen.lists(carded(), 2, 2);
        property.forAll("cards in onMessageAdd", 400, messages, pair -> {
            Carded body = pair.get(0);
            Carded attribute = pair.get(1);
            String attributes = Json.write(Json.object().put(attribute.text(), attribute.text()).put("n", 1));
            List<String> pans = new ArrayList<>(body.pans());
            pans.addAll(attribute.pans());
            int logged = twilio.logs().text().length();
            twilio.emulator().clearRequests();
            APIGatewayV2HTTPResponse response = conversations.handle(
                    signedForm(InputCampaign.CONVERSATIONS, messageAdd("CH" + "a".repeat(32), body.text(), attributes)), context());
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertNoCard(pans, stored(response, body.text(), attributes), "the stored message");
            assertNoCard(pans, twilioTexts(twilio.emulator()), "Twilio");
            assertNoCard(pans, List.of(InputCampaign.logsSince(twilio.logs().text(), logged)), "the logs");
        });
    }

    @Test
    void messagesWithOrdinaryNumbersPassUnchanged(Property property) {
        property.forAll("ordinary numbers in onMessageAdd", 300, Cards.ordinaryText(), text -> {
            APIGatewayV2HTTPResponse response = conversations.handle(
                    signedForm(InputCampaign.CONVERSATIONS, messageAdd("CH" + "b".repeat(32), text, "{\"ref\":\"" + text.replace("\"", "") + "\"}")),
                    context());
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertTrue(response.getBody() == null || response.getBody().isEmpty(), () -> "changed: " + response.getBody());
        });
    }

    @Test
    void cardsInAChatsFormNeverReachTheTaskStudioCreates(Property property) {
        property.forAll("cards in Studio's task attributes", 50, formsWithCards(), form -> {
            // A chat started elsewhere than /initWebchat, its form as the visitor typed it.
            String sid = twilio.startChat("Ada", Json.write(form.formData())).getConversationSid();
            int logged = twilio.logs().text().length();
            APIGatewayV2HTTPResponse response = studio.handle(
                    signedForm(InputCampaign.STUDIO, SignedWebhooks.form("ConversationSid", sid)), context());
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertNoCard(form.pans(), List.of(response.getBody()), "Studio's task attributes");
            assertNoCard(form.pans(), List.of(InputCampaign.logsSince(twilio.logs().text(), logged)), "the logs");
        });
    }

    /** Request headers a caller chooses, that the functions log when they refuse: the origin, the host a webhook was sent to. */
    @Test
    void cardsInRequestHeadersNeverReachALogLine(Property property) {
        property.forAll("cards in headers", 200, carded(), card -> {
            String oneLine = card.text().replaceAll("[\\r\\n]", " ");
            int logged = twilio.logs().text().length();
            Map<String, String> headers = browserHeaders("application/json");
            headers.put("origin", "https://" + oneLine + ".example");
            APIGatewayV2HTTPEvent browser = browserEvent("POST", "/initWebchat", headers, "{}", false);
            assertEquals(403, webChannel.handle(browser, context()).getStatusCode());

            Map<String, String> webhookHeaders = new java.util.LinkedHashMap<>(SignedWebhooks.headers("application/x-www-form-urlencoded", "x"));
            webhookHeaders.put("host", oneLine + ".example");
            APIGatewayV2HTTPEvent webhook = com.flexwebchat.harness.HttpApiEvents.request("POST", InputCampaign.STUDIO,
                    InputCampaign.STUDIO, "", webhookHeaders, "ConversationSid=CH1", true);
            assertEquals(403, studio.handle(webhook, context()).getStatusCode());
            assertNoCard(card.pans(), List.of(InputCampaign.logsSince(twilio.logs().text(), logged)), "the logs");
        });
    }
}
