package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.ops.blocks.BlockCommand;
import com.flexwebchat.ops.blocks.BlockCommand.Target;
import com.flexwebchat.standins.LocalDynamo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abuse protections of a local run, over real HTTP: the dynalite {@link LocalApi} starts (one
 * API for the class, its store emptied before each test), {@code ./run-local block} against it, the
 * per-IP limit, the local CAPTCHA stand-in, a store named by STORE_TABLE, a taken store port, and
 * a run without Node.js.
 *
 * <p>Requests go out from chosen loopback addresses (127.0.0.1, 127.0.0.2, ...), so each test is a
 * visitor of its own and the address the functions see is the TCP peer's.
 */
class LocalProtectionsTest {

    private static final String ORIGIN = "http://localhost:3000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger FORMS = new AtomicInteger();

    private static LocalApi api;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        Map<String, String> settings = Map.of("BLOCK_LIST_REFRESH", "PT0S", "RATE_LIMIT_CHATS_PER_IP", "2/PT1H");
        api = LocalApi.start(new LocalApi.Options(template(), 0, settings, 0, new PrintStream(console, true, StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @BeforeEach
    void emptyStore() {
        api.protections().dynamo().clear();
    }

    private static Path template() {
        return ProjectRoot.find().resolve("template.yaml");
    }

    private static TwilioEmulator twilio() {
        return api.emulator().orElseThrow();
    }

    /** The settings a second shell would give {@code ./run-local block} to reach this run's store, as its banner says. */
    private static Map<String, String> blockSettings() {
        return Map.of("STORE_TABLE", LocalDynamo.TABLE, "AWS_ENDPOINT_URL_DYNAMODB", api.protections().dynamo().endpoint());
    }

    /** {@code ./run-local block args...} with these settings (no stack): its exit status and what it printed. */
    private static String block(Map<String, String> settings, int expectedStatus, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = BlockCommand.run(args, new BlockCommand.Targets() {
            @Override
            public Target local() {
                return Block.local(settings);
            }

            @Override
            public Target deployed(String stackName) {
                throw new AssertionError("no stack was named");
            }
        }, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedStatus, status, printed);
        return printed;
    }

    // ---------------------------------------------------------------- HTTP from a chosen address

    record Answer(int status, Map<String, String> headers, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    /** A chat form no earlier request sent (one chat per submit would otherwise answer a repeat with the first chat). */
    private static ObjectNode freshForm() {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("formData").put("friendlyName", "Ada").put("query", "Question " + FORMS.incrementAndGet());
        return body;
    }

    private static Answer initWebchat(LocalApi to, String from, ObjectNode body) {
        return post(to, from, "/initWebchat", body.toString());
    }

    /**
     * POST over HTTP/1.1 from the loopback address {@code from} (the JDK 17 HttpClient cannot choose
     * its local address), one request per connection.
     */
    private static Answer post(LocalApi to, String from, String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), to.port()), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + to.port() + "\r\nOrigin: " + ORIGIN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            String[] head = response.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
            }
            return new Answer(Integer.parseInt(head[0].split(" ")[1]), headers, response.substring(end + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int chatsCreated(TwilioEmulator emulator) {
        return emulator.requests("POST", "/flex-api/v2/WebChats").size();
    }

    // ---------------------------------------------------------------- the store LocalApi starts

    @Test
    void theBannerSaysTheStoreIsDynaliteOnAFreePortOfLoopback() {
        LocalProtections protections = api.protections();
        api.printBanner(Path.of("no-such.env"), DotEnv.read(Path.of("no-such.env")));

        String endpoint = protections.dynamo().endpoint();
        assertTrue(endpoint.startsWith("http://127.0.0.1:"), endpoint);
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("Store: dynalite at " + endpoint + ", table "
                + LocalDynamo.TABLE + " (in memory, emptied when this run ends; ./run-local block manages its block list)"),
                console.toString(StandardCharsets.UTF_8));
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("CAPTCHA: off (CAPTCHA_PROVIDER is not set)"));
        assertEquals(LocalDynamo.TABLE, protections.settings().get("STORE_TABLE"));
        assertEquals(endpoint, protections.settings().get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertEquals(List.of(), protections.dynamo().items(), "it answers, and holds nothing yet");
    }

    @Test
    void aBlockedAddressIsRefusedBeforeTwilioUntilTheBlockIsRemoved() {
        Answer first = initWebchat(api, "127.0.0.1", freshForm());
        assertEquals(200, first.status(), first.body());
        assertTrue(first.json().path("conversationSid").asText().startsWith("CH"), first.body());

        String added = block(blockSettings(), 0, "add", "ip", "127.0.0.1", "--reason", "testing the block list");
        assertTrue(added.contains("Blocked ip 127.0.0.1 until removed (testing the block list)"), added);
        int chats = chatsCreated(twilio());
        int writes = twilio().writes().size();

        Answer refused = initWebchat(api, "127.0.0.1", freshForm());

        assertEquals(403, refused.status(), refused.body());
        assertEquals("blocked", refused.errorCode(), refused.body());
        assertFalse(refused.body().contains("testing the block list"), "the reason stays in the store: " + refused.body());
        assertEquals(ORIGIN, refused.headers().get("access-control-allow-origin"));
        assertEquals(chats, chatsCreated(twilio()), "no chat was created");
        assertEquals(writes, twilio().writes().size(), "nothing at all was written at Twilio");

        String removed = block(blockSettings(), 0, "remove", "ip", "127.0.0.1");
        assertTrue(removed.startsWith("Unblocked ip 127.0.0.1"), removed);
        Answer again = initWebchat(api, "127.0.0.1", freshForm());
        assertEquals(200, again.status(), again.body());
        assertEquals(chats + 1, chatsCreated(twilio()));
    }

    @Test
    void theAddressBlockedIsTheTcpPeersAndARangeBlocksItsNeighbours() {
        block(blockSettings(), 0, "add", "ip", "127.0.0.2");

        assertEquals(403, initWebchat(api, "127.0.0.2", freshForm()).status());
        assertEquals(200, initWebchat(api, "127.0.0.3", freshForm()).status(), "another visitor is not blocked");

        block(blockSettings(), 0, "add", "ip", "127.0.0.0/29");
        assertEquals(403, initWebchat(api, "127.0.0.3", freshForm()).status());
        assertEquals(403, initWebchat(api, "127.0.0.7", freshForm()).status());
        assertEquals(200, initWebchat(api, "127.0.0.8", freshForm()).status(), "outside the /29");
        assertTrue(block(blockSettings(), 1, "check", "--ip", "127.0.0.5").contains("range 127.0.0.0/29"));
    }

    @Test
    void aBlockedEmailIsRefusedFromAnyAddress() {
        block(blockSettings(), 0, "add", "email", "ada@example.com");
        ObjectNode form = freshForm();
        ((ObjectNode) form.get("formData")).put("email", "ADA@example.com");

        Answer refused = initWebchat(api, "127.0.0.4", form);

        assertEquals(403, refused.status(), refused.body());
        assertEquals("blocked", refused.errorCode());
    }

    @Test
    void theThirdChatFromOneAddressWithinTheWindowIs429WithRetryAfter() {
        int chats = chatsCreated(twilio());
        assertEquals(200, initWebchat(api, "127.0.0.9", freshForm()).status());
        assertEquals(200, initWebchat(api, "127.0.0.9", freshForm()).status());
        int writes = twilio().writes().size();

        Answer limited = initWebchat(api, "127.0.0.9", freshForm());

        assertEquals(429, limited.status(), limited.body());
        assertEquals("rate_limited", limited.errorCode(), limited.body());
        long retryAfter = Long.parseLong(limited.headers().get("retry-after"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3600, "seconds until the hour's window resets: " + retryAfter);
        assertEquals(chats + 2, chatsCreated(twilio()), "no third chat at Twilio");
        assertEquals(writes, twilio().writes().size());
        assertEquals(200, initWebchat(api, "127.0.0.10", freshForm()).status(), "the limit is per address");
        assertTrue(api.protections().dynamo().items().toString().contains("chats-per-ip"),
                "the counters are in this run's store: " + api.protections().dynamo().items());
    }

    @Test
    void aRepeatedSubmitGetsTheFirstChatAndIsNotCountedAgain() {
        ObjectNode form = freshForm();
        Answer first = initWebchat(api, "127.0.0.11", form);
        Answer repeat = initWebchat(api, "127.0.0.11", form);
        Answer repeatAgain = initWebchat(api, "127.0.0.11", form);

        assertEquals(200, repeatAgain.status(), repeatAgain.body());
        assertEquals(first.json().path("conversationSid").asText(), repeat.json().path("conversationSid").asText());
        assertEquals(first.json().path("conversationSid").asText(), repeatAgain.json().path("conversationSid").asText());
        assertEquals(200, initWebchat(api, "127.0.0.11", freshForm()).status(), "the second chat of the limit of 2");
    }

    // ---------------------------------------------------------------- a store named by STORE_TABLE, and CAPTCHA

    /** Settings that name this class's store (as a .env would name a dynalite of one's own), without AWS credentials. */
    private static Map<String, String> storeTableSettings() {
        Map<String, String> settings = new HashMap<>(blockSettings());
        settings.put("BLOCK_LIST_REFRESH", "PT0S");
        return settings;
    }

    @Test
    void withStoreTableItUsesThatTableAndStartsNoStore() {
        Map<String, String> settings = storeTableSettings();
        settings.put("RATE_LIMIT_CHATS_PER_IP", "1/PT1H");
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        try (LocalApi own = LocalApi.start(new LocalApi.Options(template(), 0, settings, 0,
                new PrintStream(banner, true, StandardCharsets.UTF_8)))) {
            own.printBanner(Path.of("no-such.env"), DotEnv.read(Path.of("no-such.env")));
            assertNull(own.protections().dynamo(), "no dynalite of its own");
            assertTrue(banner.toString(StandardCharsets.UTF_8).contains("Store: table " + LocalDynamo.TABLE + " at "
                    + api.protections().dynamo().endpoint() + " (STORE_TABLE is set; no AWS credentials are set, so placeholder"
                    + " ones, which a local engine accepts)"), banner.toString(StandardCharsets.UTF_8));
            assertEquals("local", own.protections().settings().get("AWS_ACCESS_KEY_ID"));

            assertEquals(200, initWebchat(own, "127.0.0.12", freshForm()).status());
            Answer limited = initWebchat(own, "127.0.0.12", freshForm());
            assertEquals(429, limited.status(), "the counter is in the named table: " + limited.body());
            block(settings, 0, "add", "ip", "127.0.0.13");
            assertEquals("blocked", initWebchat(own, "127.0.0.13", freshForm()).errorCode());
        }
    }

    @Test
    void storeTableKeepsTheCredentialsGivenAndATableInAwsGetsNoPlaceholders() {
        Map<String, String> withCredentials = new HashMap<>(blockSettings());
        withCredentials.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        withCredentials.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        try (LocalProtections given = LocalProtections.start(withCredentials, ProjectRoot.find(), 0, 0);
             LocalProtections inAws = LocalProtections.start(Map.of("STORE_TABLE", "webchat-StoreTable-1A2B3C",
                     "AWS_REGION", "eu-west-1"), ProjectRoot.find(), 0, 0)) {
            assertNull(given.dynamo());
            assertEquals("AKIDEXAMPLE", given.settings().get("AWS_ACCESS_KEY_ID"));
            assertEquals("Store: table " + LocalDynamo.TABLE + " at " + api.protections().dynamo().endpoint()
                    + " (STORE_TABLE is set)", given.banner().get(0));
            assertFalse(given.banner().toString().contains("wJalrXUtnFEMI"));

            assertNull(inAws.dynamo());
            assertNull(inAws.settings().get("AWS_ACCESS_KEY_ID"), "no placeholder credentials for AWS itself");
            assertEquals("Store: table webchat-StoreTable-1A2B3C at DynamoDB in eu-west-1 (STORE_TABLE is set)",
                    inAws.banner().get(0));
        }
    }

    @Test
    void captchaWithoutASecretIsVerifiedByTheLocalStandIn() {
        Map<String, String> settings = storeTableSettings();
        settings.put("CAPTCHA_PROVIDER", "turnstile");
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        try (LocalApi own = LocalApi.start(new LocalApi.Options(template(), 0, settings, 0,
                new PrintStream(banner, true, StandardCharsets.UTF_8)))) {
            own.printBanner(Path.of("no-such.env"), DotEnv.read(Path.of("no-such.env")));
            String verifyUrl = own.protections().settings().get("CAPTCHA_VERIFY_URL");
            assertTrue(verifyUrl.matches("http://127\\.0\\.0\\.1:\\d+/siteverify"), verifyUrl);
            assertTrue(banner.toString(StandardCharsets.UTF_8).contains("CAPTCHA: turnstile, verified by a local stand-in at "
                    + verifyUrl + " (CAPTCHA_SECRET is not set): it accepts tokens ok:<score>:<anything>, such as ok:0.9:1,"
                    + " each once"), banner.toString(StandardCharsets.UTF_8));
            assertFalse(banner.toString(StandardCharsets.UTF_8).contains(LocalProtections.LOCAL_CAPTCHA_SECRET));
            TwilioEmulator emulator = own.emulator().orElseThrow();

            Answer without = initWebchat(own, "127.0.0.14", freshForm());
            assertEquals(403, without.status(), without.body());
            assertEquals("captcha_failed", without.errorCode());
            assertEquals(0, chatsCreated(emulator));

            ObjectNode form = freshForm();
            ((ObjectNode) form.get("formData")).put("captchaToken", "ok:0.9:1");
            Answer verified = initWebchat(own, "127.0.0.14", form);
            assertEquals(200, verified.status(), verified.body());
            assertEquals(1, chatsCreated(emulator));
            assertFalse(emulator.requests().toString().contains("ok:0.9:1"), "the token is not passed on to Twilio");

            ObjectNode replay = freshForm();
            ((ObjectNode) replay.get("formData")).put("captchaToken", "ok:0.9:1");
            Answer replayed = initWebchat(own, "127.0.0.14", replay);
            assertEquals(403, replayed.status(), replayed.body());
            assertEquals("captcha_failed", replayed.errorCode());
            assertEquals(1, chatsCreated(emulator), "a spent token starts no chat");

            ObjectNode bad = freshForm();
            ((ObjectNode) bad.get("formData")).put("captchaToken", "forged");
            assertEquals("captcha_failed", initWebchat(own, "127.0.0.14", bad).errorCode());
            assertEquals(1, chatsCreated(emulator));
        }
    }

    // ---------------------------------------------------------------- ports, and no Node.js

    @Test
    void takenPortsFallBackToFreeOnes() throws IOException {
        try (ServerSocket store = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ServerSocket captcha = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             LocalProtections protections = LocalProtections.start(Map.of("CAPTCHA_PROVIDER", "hcaptcha"),
                     ProjectRoot.find(), store.getLocalPort(), captcha.getLocalPort())) {
            int storePort = protections.dynamo().port();
            assertNotEquals(store.getLocalPort(), storePort);
            assertEquals("http://127.0.0.1:" + storePort, protections.settings().get("AWS_ENDPOINT_URL_DYNAMODB"));
            assertTrue(protections.banner().get(0).startsWith("Store: dynalite at http://127.0.0.1:" + storePort + ","),
                    protections.banner().toString());
            assertEquals(List.of(), protections.dynamo().items(), "the store it started answers");

            String verifyUrl = protections.settings().get("CAPTCHA_VERIFY_URL");
            assertNotEquals(captcha.getLocalPort(), URI.create(verifyUrl).getPort());
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(verifyUrl))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("secret=" + protections.settings().get("CAPTCHA_SECRET")
                            + "&response=ok:0.9:taken-port")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(true, JSON.readTree(answer.body()).path("success").asBoolean(), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theStandInsAreFoundForATemplateOutsideTheRepository(@TempDir Path elsewhere) throws IOException {
        Path copy = Files.copy(template(), elsewhere.resolve("template.yaml"));

        assertEquals(ProjectRoot.find(), LocalApi.standInsRoot(copy));
        assertEquals(ProjectRoot.find(), LocalApi.standInsRoot(template()));
        assertTrue(Files.isRegularFile(LocalApi.standInsRoot(copy).resolve("local/stand-ins/dynalite/package-lock.json")));
    }

    @Test
    void withoutNodeTheStoreIsOffTheBannerSaysSoAndTheApiServes(@TempDir Path emptyPath) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, WithoutNode.class.getName(), template().toString()));
        // Run from a folder outside the repository, as ./run-local may be: the repository is still found.
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(emptyPath.toFile());
        builder.environment().put("PATH", emptyPath.toString()); // no node on it
        Process child = builder.start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), output);

        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("Store: none, so " + LocalProtections.STORE_PROTECTIONS + " are off (Node.js (node) is not"
                + " on the PATH; the local store, dynalite, needs Node.js 20 or later)"), output);
        assertTrue(output.contains("STORE_TABLE=null"), output);
        assertTrue(output.contains("initWebchat: 200"), output);
        assertTrue(output.contains("ProjectRoot=" + ProjectRoot.find() + "\n"), output);
    }

    /** Run by the test above in a JVM whose PATH has no node: LocalApi's banner, then one chat over HTTP. */
    static final class WithoutNode {

        public static void main(String[] args) throws Exception {
            try (LocalApi api = LocalApi.start(new LocalApi.Options(Path.of(args[0]), 0, Map.of(), 0, System.out))) {
                api.printBanner(Path.of("no-such.env"), DotEnv.read(Path.of("no-such.env")));
                System.out.println("STORE_TABLE=" + api.protections().settings().get("STORE_TABLE"));
                System.out.println("ProjectRoot=" + ProjectRoot.find());
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                api.baseUrl().resolve("/initWebchat")).header("Origin", ORIGIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"formData\":{\"friendlyName\":\"Ada\"}}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.println("initWebchat: " + response.statusCode() + " " + response.body());
            }
        }
    }
}
