package com.flexwebchat.emulator.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.emulator.http.FormCodec;
import com.flexwebchat.emulator.http.Json;
import com.flexwebchat.emulator.testing.Clients;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.conversations.v1.Conversation;
import com.twilio.rest.conversations.v1.ParticipantConversation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.flexwebchat.emulator.testing.ApiAssertions.assertViolation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract checker against Twilio's OpenAPI specs: it must catch requests and responses that break them
 * (real exchanges with the emulator, then altered), and fail when the specs are missing or unreadable.
 */
class OpenApiContractTest {

    private static OpenApiContract contract;
    private static TwilioEmulator emulator;
    private static TwilioRestClient client;
    private static EmulatorAccount account;

    @BeforeAll
    static void start() {
        contract = OpenApiContract.load();
        emulator = TwilioEmulator.start(0);
        client = Clients.sdk(emulator);
        account = emulator.account();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void clearJournal() {
        emulator.clearRequests();
    }

    @Test
    void reportsResponsesThatBreakTheSchema() throws Exception {
        String sid = Conversation.creator().setFriendlyName("x").create(client).getSid();
        Conversation.fetcher(sid).fetch(client);
        RecordedRequest fetch = emulator.requests("GET", "/conversations/v1/Conversations/" + sid).get(0);
        assertEquals(List.of(), contract.check(fetch));

        ObjectNode body = (ObjectNode) Json.parse(fetch.responseBody());
        body.put("surprise", 1);
        body.put("state", "open");
        body.put("sid", "XX123");
        body.put("date_created", "yesterday");
        body.put("friendly_name", 42);
        body.putNull("account_sid");
        body.remove("links");
        List<String> violations = contract.checkResponse(fetch, Json.write(body));

        assertViolation(violations, "response.surprise is not a property");
        assertViolation(violations, "response.state is string \"open\", not one of");
        assertViolation(violations, "response.sid \"XX123\" does not match ^CH");
        assertViolation(violations, "response.date_created \"yesterday\" is not an ISO 8601 date-time");
        assertViolation(violations, "response.friendly_name should be string but is number 42");
        assertViolation(violations, "response.links is missing");
        assertTrue(violations.stream().allMatch(v -> v.contains("(FetchConversation)")), violations.toString());
        // account_sid is nullable in Twilio's schema, so null is fine there.
        assertTrue(violations.stream().noneMatch(v -> v.contains("account_sid")), violations.toString());

        assertViolation(contract.checkResponse(fetch, "not json"), "response is not JSON");
    }

    @Test
    void reportsListPagesThatBreakTheSchema() throws Exception {
        ParticipantConversation.reader().setIdentity("nobody").read(client).iterator().hasNext();
        RecordedRequest read = emulator.requests("GET", "/conversations/v1/ParticipantConversations").get(0);
        ObjectNode page = (ObjectNode) Json.parse(read.responseBody());
        ((ObjectNode) page.get("meta")).put("page_size", "fifty");
        page.putArray("conversations").addObject().put("conversation_state", "archived");

        List<String> violations = contract.checkResponse(read, Json.write(page));

        assertViolation(violations, "response.meta.page_size should be integer but is string");
        assertViolation(violations, "response.conversations[0].conversation_state is string \"archived\"");
        assertViolation(violations, "response.conversations[0].conversation_sid is missing");
    }

    @Test
    void reportsRequestsThatBreakTheSpecs() {
        RecordedRequest create = recorded("POST", "/conversations/v1/Conversations", null,
                Map.of("x-twilio-webhook-enabled", List.of("maybe"), "user-agent", List.of("test")),
                Map.of("FriendlyName", List.of("ok"), "Colour", List.of("red"), "State", List.of("open")), 201);
        List<String> violations = contract.checkRequest(create);
        assertViolation(violations, "form parameter Colour is not declared");
        assertViolation(violations, "form parameter State is string \"open\", not one of");
        assertViolation(violations, "header parameter x-twilio-webhook-enabled is string \"maybe\"");
        assertTrue(violations.stream().noneMatch(v -> v.contains("user-agent")), violations.toString());

        RecordedRequest list = recorded("GET", "/conversations/v1/ParticipantConversations",
                "Identity=a&PageSize=500&Colour=red", Map.of("ui-version", List.of("2")), Map.of(), 200);
        violations = contract.checkRequest(list);
        assertViolation(violations, "query parameter PageSize 500 is above the maximum 50");
        assertViolation(violations, "query parameter Colour is not declared");
        assertViolation(violations, "header parameter ui-version is not declared");

        violations = contract.checkRequest(recorded("POST", "/flex-api/v1/WebChannels", null, Map.of(),
                Map.of("FlexFlowSid", List.of("FO123"), "Identity", List.of("x")), 201));
        assertViolation(violations, "form parameter FlexFlowSid \"FO123\" does not match");
        assertViolation(violations, "required form parameter CustomerFriendlyName is missing");

        assertViolation(contract.checkRequest(recorded("GET", "/flex-api/v1/WebChannels/nope", null, Map.of(), Map.of(), 404)),
                "path parameter Sid \"nope\" does not match");
        assertViolation(contract.checkRequest(recorded("GET", "/conversations/v1/Nope", null, Map.of(), Map.of(), 404)),
                "no operation of https://conversations.twilio.com in the specs matches /v1/Nope");
        assertViolation(contract.checkRequest(recorded("DELETE", "/flex-api/v2/WebChats", null, Map.of(), Map.of(), 405)),
                "the specs declare no DELETE operation on this path");
    }

    @Test
    void reportsUndocumentedStatusesAndBadErrorBodies() {
        String resource = "{\"conversation_sid\":\"CH" + "0".repeat(32) + "\",\"identity\":\"a\"}";
        Map<String, List<String>> form = Map.of("AddressSid", List.of(account.addressSid()));
        assertEquals(List.of(), contract.checkResponse(recorded("POST", "/flex-api/v2/WebChats", null, Map.of(), form, 201), resource));
        assertViolation(contract.checkResponse(recorded("POST", "/flex-api/v2/WebChats", null, Map.of(), form, 200), resource),
                "status 200 is not a documented response (documented: [201])");

        RecordedRequest failed = recorded("POST", "/flex-api/v2/WebChats", null, Map.of(), form, 500);
        List<String> violations = contract.checkResponse(failed, "{\"error\":\"boom\",\"status\":503}");
        assertViolation(violations, "error response.error is not a property");
        assertViolation(violations, "error response.code is missing");
        assertViolation(violations, "error response.status 503 differs from the HTTP status 500");

        RecordedRequest deleted = recorded("DELETE", "/conversations/v1/Conversations/CH" + "0".repeat(32), null, Map.of(), Map.of(), 204);
        assertViolation(contract.checkResponse(deleted, "{}"), "status 204 has no documented body, but one was sent");
    }

    /**
     * MCS is in no spec: its operations are checked against its docs, each listed with its page, and a path or
     * parameter its docs don't describe is still a violation, as is a resource of the wrong shape; the specs'
     * hosts are checked as before.
     */
    @Test
    void checksTheMediaContentServiceAgainstItsDocs() throws Exception {
        String service = account.conversationsServiceSid();
        Clients.upload(emulator, "/mcs.us1/v1/Services/" + service + "/Media?Filename=a.png", "image/png", new byte[] {1, 2, 3},
                Clients.accountCredentials(emulator));
        RecordedRequest upload = emulator.requests("POST", "/mcs\\.us1/.*").get(0);
        String mediaSid = Json.parse(upload.responseBody()).path("sid").asText();
        Clients.get(emulator, "/mcs.us1/v1/Services/" + service + "/Media/" + mediaSid, Clients.accountCredentials(emulator));
        RecordedRequest fetch = emulator.requests("GET", "/mcs\\.us1/.*").get(0);
        assertEquals(List.of(), contract.check(upload));
        assertEquals(List.of(), contract.check(fetch));
        assertTrue(contract.operation(fetch).orElseThrow().contains("documented at https://www.twilio.com/docs/conversations/api/media-resource"),
                contract.operation(fetch).toString());

        ObjectNode body = (ObjectNode) Json.parse(fetch.responseBody());
        body.remove("content_type");
        body.put("size", "large");
        body.put("colour", "red");
        List<String> violations = contract.checkResponse(fetch, Json.write(body));
        assertViolation(violations, "(FetchMcsMedia): response.content_type is missing");
        assertViolation(violations, "response.size should be integer but is string");
        assertViolation(violations, "response.colour is not a property");
        assertViolation(contract.checkResponse(fetch, "{\"oops\":1}"), "response.sid is missing");
        assertViolation(contract.checkResponse(fetch, "<xml/>"), "response is not JSON");
        RecordedRequest failed = new RecordedRequest("GET", fetch.path(), null, Map.of(), Map.of(), "", 404, "");
        assertViolation(contract.checkResponse(failed, "{\"error\":\"gone\"}"), "error response.error is not a property");

        assertViolation(contract.checkRequest(recorded("GET", "/mcs.us1/v1/Services/" + service + "/Files", null, Map.of(),
                Map.of(), 404)), "no operation of https://mcs.us1.twilio.com that the docs describe matches /v1/Services/");
        assertViolation(contract.checkRequest(recorded("DELETE", "/mcs.us1/v1/Services/" + service + "/Media/" + mediaSid, null,
                Map.of(), Map.of(), 405)), "the docs describe no DELETE operation on this path");
        assertViolation(contract.checkRequest(recorded("POST", "/mcs.us1/v1/Services/" + service + "/Media", "Colour=red",
                Map.of(), Map.of("Media", List.of("x")), 201)), "query parameter Colour is not one the docs describe");
        assertViolation(contract.checkRequest(recorded("POST", "/mcs.us1/v1/Services/" + service + "/Media", null,
                Map.of(), Map.of("Media", List.of("x")), 201)), "the operation takes the file as its raw body");
        assertViolation(contract.checkRequest(recorded("GET", "/media.us1/nope", "Expires=1", Map.of(), Map.of(), 403)),
                "path parameter Sid \"nope\" does not match");
        assertTrue(contract.operation(recorded("GET", "/mcs.us1/v1/Nothing", null, Map.of(), Map.of(), 404)).isEmpty());
        // Nothing else is exempt: a host no spec and no doc describes, and the specs' own hosts, are checked as ever.
        assertViolation(contract.checkRequest(recorded("GET", "/mcs/v1/Services/" + service + "/Media/" + mediaSid, null,
                Map.of(), Map.of(), 200)), "no operation of https://mcs.twilio.com in the specs matches");
        assertViolation(contract.checkRequest(recorded("POST", "/conversations/v1/Conversations/CH" + "0".repeat(32) + "/Messages",
                null, Map.of(), Map.of("MediaSid", List.of("ME123")), 201)), "form parameter MediaSid \"ME123\" does not match");
    }

    @Test
    void checksAgainstTheSpecsTheBuildPinned() {
        assertTrue(contract.source().matches("@twilio-alpha/mcp@\\S+ sha512-\\S+"), contract.source());
        assertEquals(List.of(), contract.staleErrata());
    }

    @Test
    void failsWhenTheSpecsAreMissing(@TempDir Path empty) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {empty.toUri().toURL()}, null)) {
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> OpenApiContract.load(loader));
            assertTrue(missing.getMessage().contains("not on the class path"), missing.getMessage());
        }
    }

    @Test
    void failsWhenASpecIsMissingOrUnreadable(@TempDir Path specs) throws Exception {
        Files.createDirectories(specs.resolve("twilio-oai"));
        Files.writeString(specs.resolve("twilio-oai/index"), "source @twilio-alpha/mcp@0.0.0 sha512-x\ntwilio_flex_v2\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {specs.toUri().toURL()}, null)) {
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> OpenApiContract.load(loader));
            assertTrue(missing.getMessage().contains("twilio_flex_v2.json is listed in the index but missing"), missing.getMessage());
        }
        Files.writeString(specs.resolve("twilio-oai/twilio_flex_v2.json"), "{\"openapi\": \"3.0.1\", \"paths\": ");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {specs.toUri().toURL()}, null)) {
            IllegalStateException unreadable = assertThrows(IllegalStateException.class, () -> OpenApiContract.load(loader));
            assertTrue(unreadable.getMessage().contains("cannot read Twilio's OpenAPI spec twilio-oai/twilio_flex_v2.json"),
                    unreadable.getMessage());
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    private static RecordedRequest recorded(String method, String path, String query, Map<String, List<String>> headers,
                                            Map<String, List<String>> form, int status) {
        return new RecordedRequest(method, path, query, headers, form, FormCodec.encode(form), status, "");
    }
}
