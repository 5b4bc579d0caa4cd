package com.flexwebchat.studio;

import static com.flexwebchat.studio.StudioEvents.form;
import static com.flexwebchat.studio.StudioEvents.formPost;
import static com.flexwebchat.studio.StudioEvents.invoke;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code studio/webchat-flow.json} is a flow Studio can import, and it asks this function only
 * for what the function answers. The widget catalogue below is Studio's flow definition format
 * (https://www.twilio.com/docs/studio/rest-api/v2/flow-definition) as the Console exports it: each
 * widget type's required properties and the events it emits.
 */
class StudioFlowTest {

    record WidgetType(Set<String> required, Set<String> events) {
    }

    static final Map<String, WidgetType> WIDGET_TYPES = Map.of(
            "trigger", new WidgetType(Set.of("offset"),
                    Set.of("incomingMessage", "incomingCall", "incomingConversationMessage", "incomingRequest", "incomingParent")),
            "make-http-request", new WidgetType(Set.of("method", "content_type", "url"), Set.of("success", "failed")),
            "split-based-on", new WidgetType(Set.of("input"), Set.of("noMatch", "match")),
            "send-to-flex", new WidgetType(Set.of("workflow", "channel"), Set.of("callComplete", "failedToEnqueue", "callFailure")),
            "send-message", new WidgetType(Set.of("body"), Set.of("sent", "failed")),
            "send-and-wait-for-reply", new WidgetType(Set.of("body"), Set.of("incomingMessage", "timeout", "deliveryFailure")),
            "run-function", new WidgetType(Set.of("url"), Set.of("success", "fail")),
            "set-variables", new WidgetType(Set.of(), Set.of("next")));
    /** The content types Studio's Make HTTP Request widget offers. */
    static final Set<String> HTTP_CONTENT_TYPES = Set.of("application/x-www-form-urlencoded;charset=utf-8", "application/json;charset=utf-8");
    static final Pattern LIQUID = Pattern.compile("\\{\\{(.*?)}}");
    static final Pattern WIDGET_PATH = Pattern.compile("widgets\\.([A-Za-z0-9_]+)((?:\\.[A-Za-z0-9_]+)*)");
    static final Pattern PLACEHOLDER = Pattern.compile("YOUR_[A-Z_]+");

    /** The function the flow asks, for checks against its real answers. */
    @RegisterExtension
    static final EmulatedTwilio twilio = StudioWebhookTest.studioSettings(EmulatedTwilio.sharedByTheClass());

    static String text;
    static JsonNode flow;
    static Map<String, JsonNode> states;

    @BeforeAll
    static void load() throws Exception {
        text = Files.readString(studioFolder().resolve("webchat-flow.json"));
        flow = Json.parse(text);
        states = new HashMap<>();
        flow.path("states").forEach(state -> states.put(state.path("name").asText(), state));
    }

    static Path studioFolder() {
        String root = System.getProperty("project.root");
        return (root == null ? Path.of("../..") : Path.of(root)).resolve("studio");
    }

    @Test
    void isAStudioFlowDefinition() {
        assertTrue(flow.isObject());
        assertEquals(Set.of("description", "states", "initial_state", "flags"), fieldNames(flow));
        assertTrue(flow.get("description").isTextual());
        assertTrue(flow.get("states").isArray() && !flow.get("states").isEmpty());
        assertTrue(flow.get("initial_state").isTextual());
        assertTrue(flow.at("/flags/allow_concurrent_calls").isBoolean());
        for (JsonNode state : flow.get("states")) {
            assertEquals(Set.of("name", "type", "transitions", "properties"), fieldNames(state), state.path("name").asText());
            assertTrue(state.get("transitions").isArray());
            assertTrue(state.at("/properties/offset/x").isInt() && state.at("/properties/offset/y").isInt());
        }
    }

    @Test
    void stateNamesAreUniqueAndTheInitialStateIsTheTrigger() {
        assertEquals(flow.get("states").size(), states.size(), "unique names");
        JsonNode initial = states.get(flow.get("initial_state").asText());
        assertNotNull(initial, "the initial state exists");
        assertEquals("trigger", initial.get("type").asText());
        assertEquals(1, flow.get("states").findValues("type").stream().filter(t -> t.asText().equals("trigger")).count());
    }

    @Test
    void everyWidgetIsAKnownTypeWithItsRequiredProperties() {
        for (JsonNode state : flow.get("states")) {
            String name = state.get("name").asText();
            WidgetType type = WIDGET_TYPES.get(state.get("type").asText());
            assertNotNull(type, name + " has an unknown widget type " + state.get("type"));
            for (String property : type.required()) {
                JsonNode value = state.path("properties").path(property);
                assertFalse(value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isBlank()),
                        name + " needs " + property);
            }
        }
    }

    @Test
    void everyTransitionIsAnEventOfItsWidgetAndLeadsToAnExistingState() {
        for (JsonNode state : flow.get("states")) {
            String name = state.get("name").asText();
            WidgetType type = WIDGET_TYPES.get(state.get("type").asText());
            Set<String> events = new HashSet<>();
            for (JsonNode transition : state.get("transitions")) {
                String event = transition.get("event").asText();
                assertTrue(type.events().contains(event), name + ": " + event + " is not an event of " + state.get("type"));
                events.add(event);
                if (transition.has("next")) {
                    assertTrue(states.containsKey(transition.get("next").asText()),
                            name + " → " + transition.get("next") + " does not exist");
                }
                if (event.equals("match")) {
                    JsonNode conditions = transition.get("conditions");
                    assertTrue(conditions.isArray() && !conditions.isEmpty(), name + ": a match needs conditions");
                    for (JsonNode condition : conditions) {
                        assertEquals(Set.of("friendly_name", "arguments", "type", "value"), fieldNames(condition));
                        assertEquals(state.at("/properties/input"), condition.at("/arguments/0"), "a split tests its input");
                    }
                }
            }
            // As the Console exports them: every event listed, with or without a next widget.
            assertEquals(type.events(), events, name);
        }
    }

    @Test
    void newConversationMessagesAskTheBackendForTheChatsContext() throws Exception {
        JsonNode trigger = states.get(flow.get("initial_state").asText());
        String next = null;
        for (JsonNode transition : trigger.get("transitions")) {
            if (transition.get("event").asText().equals("incomingConversationMessage")) {
                next = transition.path("next").asText(null);
            }
        }
        JsonNode request = states.get(next);
        assertEquals("make-http-request", request.get("type").asText());
        JsonNode properties = request.get("properties");
        assertEquals("POST", properties.get("method").asText());
        assertTrue(HTTP_CONTENT_TYPES.contains(properties.get("content_type").asText()));
        assertEquals("https://YOUR_API/webhooks/studio", properties.get("url").asText());
        assertEquals(Json.parse("[{\"key\":\"ConversationSid\",\"value\":\"{{trigger.conversation.ConversationSid}}\"}]"),
                properties.get("parameters"));
    }

    @Test
    void theLiquidIsBalancedAndNamesOnlyExistingWidgets() {
        for (String value : strings(flow)) {
            assertEquals(count(value, "{{"), count(value, "}}"), value);
            Matcher liquid = LIQUID.matcher(value);
            while (liquid.find()) {
                Matcher path = WIDGET_PATH.matcher(liquid.group(1));
                while (path.find()) {
                    assertTrue(states.containsKey(path.group(1)), liquid.group() + " names no widget");
                }
            }
        }
    }

    @Test
    void everyParsedPathIsAFieldTheWebhookAnswers() throws Exception {
        Set<String> paths = parsedPaths();
        assertTrue(paths.containsAll(Set.of("/taskAttributes", "/open", "/closedMessage")), paths.toString());

        // The real handler, against the emulator, open and closed.
        List<JsonNode> answers = new ArrayList<>();
        for (Instant now : List.of(StudioWebhookTest.MONDAY_MORNING, StudioWebhookTest.FRIDAY_EVENING)) {
            answers.add(Json.parse(answer(now).getBody()));
        }
        for (JsonNode answer : answers) {
            for (String path : paths) {
                assertFalse(answer.at(path).isMissingNode(), path + " is not in the answer " + answer);
            }
        }
        JsonNode open = answers.get(0);
        JsonNode closed = answers.get(1);
        // split_open compares the rendered boolean with "true"; the closed branch sends closedMessage as text.
        assertTrue(open.at("/open").isBoolean() && open.at("/open").asBoolean());
        assertTrue(closed.at("/open").isBoolean() && !closed.at("/open").asBoolean());
        String sendsToFlexWhen = null;
        for (JsonNode transition : states.get("split_open").get("transitions")) {
            if ("send_to_flex".equals(transition.path("next").asText())) {
                sendsToFlexWhen = transition.at("/conditions/0/value").asText();
            }
        }
        assertEquals(String.valueOf(open.at("/open").asBoolean()), sendsToFlexWhen, "Liquid renders a JSON true as true");
        assertTrue(closed.at("/closedMessage").isTextual());
        // Send to Flex takes the attributes as a JSON object, which to_json renders.
        assertTrue(open.at("/taskAttributes").isObject());
        assertTrue(text.contains("{{widgets.chat_context.parsed.taskAttributes | to_json}}"));
    }

    @Test
    void theFailureBranchTellsApartTheStatusesTheWebhookAnswers() throws Exception {
        JsonNode split = states.get("split_failure");
        assertEquals("{{widgets.chat_context.status_code}}", split.at("/properties/input").asText());
        Set<String> ending = new TreeSet<>();
        for (JsonNode transition : split.get("transitions")) {
            if (transition.get("event").asText().equals("match")) {
                assertFalse(transition.has("next"), "a chat that is gone or ended is not routed");
                ending.add(transition.at("/conditions/0/value").asText());
            }
        }
        assertEquals(Set.of("404", "409"), ending);

        StudioWebhookHandler handler = StudioWebhookTest.handlerAt(twilio, StudioWebhookTest.MONDAY_MORNING);
        assertEquals(404, invoke(handler, formPost(form("ConversationSid", "CH" + "d".repeat(32)))).getStatusCode());
        String sid = startChat();
        twilio.emulator().closeConversation(sid);
        assertEquals(409, invoke(handler, formPost(form("ConversationSid", sid))).getStatusCode());
        assertEquals("send_to_flex_fallback", transitionOf("split_failure", "noMatch"));
    }

    @Test
    void failuresOfFlexAreAnsweredToo() {
        for (String name : List.of("send_to_flex", "send_to_flex_fallback")) {
            assertEquals("send_unavailable_message", transitionOf(name, "failedToEnqueue"));
            assertEquals("send_unavailable_message", transitionOf(name, "callFailure"));
        }
        assertEquals("send_closed_message", transitionOf("split_open", "noMatch"));
        assertEquals("split_failure", transitionOf("chat_context", "failed"));
    }

    @Test
    void everyPlaceholderIsDocumented() throws Exception {
        String readme = Files.readString(studioFolder().resolve("README.md"));
        Set<String> placeholders = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            placeholders.add(m.group());
        }
        assertEquals(Set.of("YOUR_API", "YOUR_FLEX_WORKFLOW_SID", "YOUR_TASK_CHANNEL_SID"), placeholders);
        for (String placeholder : placeholders) {
            assertTrue(readme.contains("`" + placeholder) || readme.contains("https://" + placeholder), placeholder);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** Every {@code widgets.X.parsed.a.b} the flow uses, as a JSON pointer into X's answer; X must be an HTTP request. */
    static Set<String> parsedPaths() {
        Set<String> paths = new TreeSet<>();
        for (String value : strings(flow)) {
            Matcher liquid = LIQUID.matcher(value);
            while (liquid.find()) {
                Matcher path = WIDGET_PATH.matcher(liquid.group(1));
                while (path.find()) {
                    String rest = path.group(2);
                    if (rest.startsWith(".parsed")) {
                        assertEquals("make-http-request", states.get(path.group(1)).get("type").asText(), liquid.group());
                        String pointer = rest.substring(".parsed".length()).replace('.', '/');
                        assertFalse(pointer.isEmpty(), liquid.group() + " uses the whole answer");
                        paths.add(pointer);
                    }
                }
            }
        }
        return paths;
    }

    static APIGatewayV2HTTPResponse answer(Instant now) {
        APIGatewayV2HTTPResponse response = invoke(StudioWebhookTest.handlerAt(twilio, now),
                formPost(form("ConversationSid", startChat())));
        assertEquals(200, response.getStatusCode(), response.getBody());
        return response;
    }

    static String startChat() {
        return twilio.startChat("Ada", StudioWebhookTest.FORM).getConversationSid();
    }

    static String transitionOf(String state, String event) {
        for (JsonNode transition : states.get(state).get("transitions")) {
            if (transition.get("event").asText().equals(event)) {
                return transition.path("next").asText(null);
            }
        }
        return null;
    }

    /** Every string in the definition: where Liquid can be. */
    static List<String> strings(JsonNode node) {
        List<String> strings = new ArrayList<>();
        if (node.isTextual()) {
            strings.add(node.asText());
        }
        node.forEach(child -> strings.addAll(strings(child)));
        return strings;
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static int count(String haystack, String needle) {
        int count = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }
}
