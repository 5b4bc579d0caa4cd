package com.flexwebchat.ops.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.emulator.TwilioEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run-local wire} against an emulator started here, as the account the settings name
 * (how {@code ./run-local} reads them from the environment and .env is local/runner's WireTest).
 */
class TwilioWiringTest {

    private static final String API = "https://abc123.execute-api.eu-west-1.amazonaws.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TwilioEmulator emulator;
    private EmulatorAccount account;
    private Map<String, String> settings;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A fresh emulator per test: the wiring is its state. */
    @BeforeEach
    void start() {
        emulator = TwilioEmulator.start(0);
        account = emulator.account();
        settings = new HashMap<>(Map.of(
                "TWILIO_API_BASE_URL", emulator.baseUrl(),
                "ACCOUNT_SID", account.accountSid(),
                "AUTH_TOKEN", account.authToken(),
                "API_KEY", account.apiKey(),
                "API_SECRET", account.apiSecret(),
                "ADDRESS_SID", account.addressSid(),
                "CONVERSATIONS_SERVICE_SID", account.conversationsServiceSid(),
                "TASKROUTER_WORKSPACE_SID", account.taskrouterWorkspaceSid(),
                "CLOSE_AFTER", "PT12H",
                "INACTIVE_AFTER", "PT30M"));
    }

    @AfterEach
    void stop() {
        assertEquals(List.of(), emulator.contractViolations());
        assertFalse(output().contains(account.authToken()), "the auth token is never printed");
        emulator.close();
    }

    private int wire(String... args) {
        return TwilioWiring.run(args, settings, TwilioWiringTest::account, (stack, key) -> {
            throw new AssertionError("no stack was named");
        }, print(out), print(err));
    }

    private static TwilioWiring.Account account(Map<String, String> settings) {
        return new TwilioWiring.Account(settings, "the test's account " + settings.get("ACCOUNT_SID").substring(0, 2) + "…");
    }

    /** The emulator's REST API, as an operator would read it, with the account's credentials. */
    private JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    private JsonNode post(String path, List<Map.Entry<String, String>> form) {
        List<String> fields = new ArrayList<>();
        form.forEach(field -> fields.add(URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8)));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", fields))).build());
    }

    private static Map.Entry<String, String> field(String name, String value) {
        return Map.entry(name, value);
    }

    private HttpRequest.Builder request(String path) {
        String credentials = account.accountSid() + ":" + account.authToken();
        return HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(2, response.statusCode() / 100, request + ": " + response.body());
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private List<RecordedRequest> updates() {
        return emulator.requests("POST", ".*");
    }

    @Test
    void aDryRunListsEveryChangeAndChangesNothing() {
        assertEquals(0, wire("--api-url", API + "/", "--dry-run"), output());

        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Would wire Twilio to " + API + ": 7 changes (dry run: nothing is changed)"), printed);
        assertTrue(printed.contains("(not set)  ->  " + API + "/webhooks/conversations"), printed);
        assertTrue(printed.contains("(not set)  ->  " + API + "/webhooks/taskrouter"), printed);
        assertTrue(printed.contains("(not set)  ->  onConversationStateUpdated,onMessageAdd,onMessageUpdate,onParticipantAdded"), printed);
        assertTrue(printed.contains("(not set)  ->  task.canceled,task.completed,task.wrapup"), printed);
        assertTrue(printed.contains("(not set)  ->  PT12H"), printed);
        assertTrue(printed.contains("(not set)  ->  PT30M"), printed);
        assertTrue(printed.contains("Twilio: the test's account AC…"), printed);
        assertEquals(List.of(), updates(), "no update was sent");
        assertEquals(3, emulator.requests("GET", ".*").size(), "the plan reads three resources");
    }

    @Test
    void wiresTheConversationsServiceTheWorkspaceAndTheDefaultTimers() {
        assertEquals(0, wire("--api-url", API), output());

        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Done: 3 updates sent to Twilio."), output());
        assertEquals(3, updates().size());
        JsonNode webhooks = get("/conversations/v1/Services/" + account.conversationsServiceSid()
                + "/Configuration/Webhooks");
        assertEquals(API + "/webhooks/conversations", webhooks.path("pre_webhook_url").asText());
        assertEquals(API + "/webhooks/conversations", webhooks.path("post_webhook_url").asText());
        assertEquals("POST", webhooks.path("method").asText());
        assertEquals("[\"onMessageAdd\",\"onMessageUpdate\",\"onParticipantAdded\",\"onConversationStateUpdated\"]",
                webhooks.path("filters").toString(), "the state change sends the transcript at a chat's end");
        JsonNode workspace = get("/taskrouter/v1/Workspaces/" + account.taskrouterWorkspaceSid());
        assertEquals(API + "/webhooks/taskrouter", workspace.path("event_callback_url").asText());
        assertEquals("task.canceled,task.completed,task.wrapup", workspace.path("events_filter").asText());
        JsonNode defaults = get("/conversations/v1/Configuration");
        assertEquals("PT12H", defaults.path("default_closed_timer").asText());
        assertEquals("PT30M", defaults.path("default_inactive_timer").asText());

        // Conversations created from now on close after CLOSE_AFTER.
        JsonNode chat = post("/conversations/v1/Conversations", List.of(field("FriendlyName", "after wiring")));
        Instant closes = Instant.parse(chat.path("timers").path("date_closed").asText());
        assertTrue(Duration.between(Instant.now().plus(Duration.ofHours(12)), closes).abs().getSeconds() < 5, closes.toString());
    }

    @Test
    void aSecondRunChangesNothingAndSendsNoUpdate() {
        assertEquals(0, wire("--api-url", API));
        emulator.clearRequests();
        out.reset();

        assertEquals(0, wire("--api-url", API));

        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("Wiring Twilio to " + API + ": 0 changes"), printed);
        assertTrue(printed.contains("Nothing to change"), printed);
        assertFalse(printed.contains("->"), printed);
        assertEquals(List.of(), updates());
    }

    @Test
    void onlyTheResourcesThatDifferAreUpdated() {
        post("/taskrouter/v1/Workspaces/" + account.taskrouterWorkspaceSid(), List.of(
                field("EventCallbackUrl", API + "/webhooks/taskrouter"),
                field("EventsFilter", "task.wrapup, task.canceled,task.completed")));
        // Twilio may write a duration its own way: a day is a day.
        settings.put("CLOSE_AFTER", "P1D");
        settings.remove("INACTIVE_AFTER");
        post("/conversations/v1/Configuration", List.of(field("DefaultClosedTimer", "P1D")));
        emulator.clearRequests();

        assertEquals(0, wire("--api-url", API), output());

        assertTrue(out.toString(StandardCharsets.UTF_8).contains(": 3 changes"), output());
        assertEquals(List.of("/conversations/v1/Services/" + account.conversationsServiceSid() + "/Configuration/Webhooks"),
                updates().stream().map(RecordedRequest::path).toList());
    }

    @Test
    void refusesAnApiUrlThatIsNotHttpsBeforeAnyTwilioCall() {
        assertEquals(2, wire("--api-url", "http://abc123.execute-api.eu-west-1.amazonaws.com"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("must be https"), output());
        assertEquals(2, wire("--api-url", API + "?stage=prod"));
        assertEquals(2, wire("--api-url", "not a url"));
        assertEquals(List.of(), emulator.requests(), "Twilio was not called");
    }

    @Test
    void refusesBadArguments() {
        assertEquals(2, wire());
        assertEquals(2, wire("--api-url", API, "--stack-name", "chat"));
        assertEquals(2, wire("--api-url"));
        assertEquals(2, wire("--apiurl", API));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(TwilioWiring.USAGE), output());
        assertEquals(List.of(), emulator.requests());
    }

    @Test
    void readsTheApiUrlFromTheStacksOutput() {
        List<String> asked = new java.util.ArrayList<>();
        int status = TwilioWiring.run(new String[] {"--stack-name", "webchat", "--dry-run"}, settings,
                TwilioWiringTest::account, (stack, key) -> {
            asked.add(stack + " " + key);
            return API + "\n";
        }, print(out), print(err));

        assertEquals(0, status, output());
        assertEquals(List.of("webchat ApiUrl"), asked);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Would wire Twilio to " + API + ":"), output());
    }

    @Test
    void theAwsCliAnswersTheStacksOutput(@TempDir Path dir) throws IOException {
        Path aws = dir.resolve("aws");
        Files.writeString(aws, "#!/bin/sh\necho \"$@\" > \"" + dir.resolve("args") + "\"\necho " + API + "\n");
        Files.setPosixFilePermissions(aws, PosixFilePermissions.fromString("rwx------"));
        Path failing = dir.resolve("aws-failing");
        Files.writeString(failing, "#!/bin/sh\necho 'Stack with id nope does not exist' >&2\nexit 254\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));

        assertEquals(API, TwilioWiring.awsCli(aws.toString()).read("webchat", "ApiUrl"));
        assertEquals("cloudformation describe-stacks --stack-name webchat --query "
                + "Stacks[0].Outputs[?OutputKey=='ApiUrl'].OutputValue --output text", Files.readString(dir.resolve("args")).trim());
        int status = TwilioWiring.run(new String[] {"--stack-name", "nope"}, settings, TwilioWiringTest::account,
                TwilioWiring.awsCli(failing.toString()), print(out), print(err));
        assertEquals(1, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("could not read the ApiUrl output of stack nope"), output());
        assertEquals(1, TwilioWiring.run(new String[] {"--stack-name", "x"}, settings, TwilioWiringTest::account,
                TwilioWiring.awsCli(dir.resolve("no-such-aws").toString()), print(out), print(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("needs the AWS CLI"), output());
        assertEquals(List.of(), emulator.requests());
    }

    @Test
    void aTwilioFailureSaysWhatFailedWithoutTheCredentials() {
        settings.put("AUTH_TOKEN", "not_the_token_0123456789abcdef01");

        assertEquals(1, wire("--api-url", API));

        String errors = err.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("Twilio could not read the Conversations service webhooks (HTTP 401, Twilio error 20003)"),
                errors);
        assertFalse(output().contains("not_the_token_0123456789abcdef01"), output());
        assertEquals(List.of(), updates());
    }
}
