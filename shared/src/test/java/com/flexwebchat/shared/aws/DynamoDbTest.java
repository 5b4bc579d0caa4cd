package com.flexwebchat.shared.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.invocation.UpstreamTime;
import com.flexwebchat.shared.json.Json;
import com.flexwebchat.shared.testing.LocalStore;
import com.flexwebchat.shared.testing.MovableClock;
import com.flexwebchat.standins.LocalDynamo;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store's DynamoDB client: signed as DynamoDB checks ({@link StubDynamoDb}), bounded in time
 * against an engine that never answers (dynalite stopped with SIGSTOP) or is gone, and within one
 * invocation ({@link UpstreamTime}) waiting on an unanswering engine once.
 */
class DynamoDbTest {

    static final String REGION = "eu-north-1";
    static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN==";

    @RegisterExtension
    static final LocalStore local = new LocalStore();

    StubDynamoDb stub;
    HttpServer credentialsEndpoint;

    @AfterEach
    void stop() {
        if (stub != null) {
            stub.close();
        }
        if (credentialsEndpoint != null) {
            credentialsEndpoint.stop(0);
        }
    }

    StubDynamoDb stub() throws Exception {
        stub = new StubDynamoDb(REGION);
        stub.keys.put(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
        return stub;
    }

    Map<String, String> env(String... keysAndValues) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", stub.url());
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }

    static ObjectNode getItem() {
        ObjectNode request = Json.object().put("TableName", LocalDynamo.TABLE).put("ConsistentRead", true);
        ObjectNode key = request.putObject("Key");
        key.putObject("pk").put("S", "limit#chats-per-ip#ip:abc");
        key.putObject("sk").put("S", "-");
        return request;
    }

    /** A write of an item of its own: whether the engine ever carried it out shows whether the request reached it. */
    static ObjectNode putMarker(String pk) {
        ObjectNode request = Json.object().put("TableName", LocalDynamo.TABLE);
        ObjectNode item = request.putObject("Item");
        item.putObject("pk").put("S", pk);
        item.putObject("sk").put("S", "-");
        return request;
    }

    static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    // --- signed as DynamoDB checks ---------------------------------------------------------------------------

    @Test
    void signsEachRequestForDynamoDbInTheFunctionsRegion() throws Exception {
        stub().answer = "{\"Item\":{\"pk\":{\"S\":\"limit#chats-per-ip#ip:abc\"},\"n\":{\"N\":\"3\"}}}";

        JsonNode answer = DynamoDb.fromEnvironment(env(), WebChatRuntime.STORE_TIMEOUT).call("GetItem", getItem());

        assertEquals(List.of(), stub.problems);
        assertEquals("3", answer.path("Item").path("n").path("N").asText());
        StubDynamoDb.Received request = stub.requests.get(0);
        assertEquals("DynamoDB_20120810.GetItem", request.target());
        assertEquals(ACCESS_KEY_ID, request.accessKeyId());
        assertEquals(getItem(), Json.parse(request.body()));
        assertNull(request.securityToken());
    }

    @Test
    void sendsAndSignsTheSessionToken() throws Exception {
        stub();

        DynamoDb.fromEnvironment(env("AWS_SESSION_TOKEN", SESSION_TOKEN), WebChatRuntime.STORE_TIMEOUT).call("GetItem", getItem());

        assertEquals(List.of(), stub.problems);
        assertEquals(SESSION_TOKEN, stub.requests.get(0).securityToken());
        assertTrue(stub.requests.get(0).signedHeaders().contains("x-amz-security-token"));
    }

    /** The stub's check can fail: a key DynamoDB does not hold for that access key id is refused, and said so. */
    @Test
    void aSignatureMadeWithAnotherKeyIsRefused() throws Exception {
        stub().keys.put(ACCESS_KEY_ID, "not-" + SECRET_ACCESS_KEY);

        AwsException error = assertThrows(AwsException.class, () ->
                DynamoDb.fromEnvironment(env(), WebChatRuntime.STORE_TIMEOUT).call("GetItem", getItem()));

        assertEquals(List.of("The request signature we calculated does not match the signature you provided"), stub.problems);
        assertEquals(400, error.status());
        assertEquals("InvalidSignatureException", error.errorType());
        assertFalse(error.getMessage().contains("signature we calculated"), "AWS's own message is never quoted: " + error.getMessage());
    }

    @Test
    void aRefusalKeepsStatusAndErrorTypeButNeverAwssMessage() throws Exception {
        stub().status = 400;
        stub.answer = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                + "\"message\":\"The conditional request failed for ip:203.0.113.7\"}";

        AwsException error = assertThrows(AwsException.class, () ->
                DynamoDb.fromEnvironment(env(), WebChatRuntime.STORE_TIMEOUT).call("PutItem", getItem()));

        assertEquals(400, error.status());
        assertEquals("ConditionalCheckFailedException", error.errorType());
        assertEquals("DynamoDB refused PutItem: HTTP 400 ConditionalCheckFailedException", error.getMessage());
    }

    @Test
    void theEndpointIsTheRegionsUnlessOverridden() throws Exception {
        stub();
        Map<String, String> generic = env();
        generic.remove("AWS_ENDPOINT_URL_DYNAMODB");
        generic.put("AWS_ENDPOINT_URL", stub.url());
        generic.remove("AWS_REGION");
        generic.put("AWS_DEFAULT_REGION", REGION);

        DynamoDb.fromEnvironment(generic, WebChatRuntime.STORE_TIMEOUT).call("GetItem", getItem());
        assertEquals(List.of(), stub.problems, "AWS_ENDPOINT_URL and AWS_DEFAULT_REGION are read as the SDKs read them");

        generic.remove("AWS_DEFAULT_REGION");
        AwsException noRegion = assertThrows(AwsException.class, () -> DynamoDb.fromEnvironment(generic, WebChatRuntime.STORE_TIMEOUT));
        assertTrue(noRegion.getMessage().startsWith("AWS_REGION is not set"), noRegion.getMessage());
    }

    /** A SnapStart function's credentials come from the container endpoint and expire; new ones are fetched before they do. */
    @Test
    void containerCredentialsAreFetchedAgainBeforeTheyExpire() throws Exception {
        stub().keys.put("ASIAFIRSTEXAMPLE", "first/secret");
        stub.keys.put("ASIASECONDEXAMPLE", "second/secret");
        AtomicInteger fetches = new AtomicInteger();
        Instant expires = Instant.now().plus(Duration.ofMinutes(10));
        credentialsEndpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        credentialsEndpoint.createContext("/", exchange -> {
            boolean first = fetches.incrementAndGet() == 1;
            byte[] body = Json.write(Json.object()
                    .put("AccessKeyId", first ? "ASIAFIRSTEXAMPLE" : "ASIASECONDEXAMPLE")
                    .put("SecretAccessKey", first ? "first/secret" : "second/secret")
                    .put("Token", "container-session-token")
                    .put("Expiration", expires.toString())).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        credentialsEndpoint.start();
        Map<String, String> env = new HashMap<>();
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:" + credentialsEndpoint.getAddress().getPort() + "/creds");
        MovableClock clock = new MovableClock(Instant.now());
        DynamoDb db = new DynamoDb(URI.create(stub.url()), REGION, new AwsCredentialsProvider(env, clock),
                WebChatRuntime.STORE_TIMEOUT, Clock.systemUTC());

        db.call("GetItem", getItem());
        db.call("GetItem", getItem());
        clock.advance(Duration.ofMinutes(4));
        db.call("GetItem", getItem());
        assertEquals(1, fetches.get(), "fetched once while they last");

        clock.advance(Duration.ofMinutes(2)); // 4 minutes left: inside the 5 minutes before expiry
        db.call("GetItem", getItem());

        assertEquals(2, fetches.get());
        assertEquals(List.of(), stub.problems);
        assertEquals(List.of("ASIAFIRSTEXAMPLE", "ASIAFIRSTEXAMPLE", "ASIAFIRSTEXAMPLE", "ASIASECONDEXAMPLE"),
                stub.requests.stream().map(StubDynamoDb.Received::accessKeyId).toList());
        assertEquals("container-session-token", stub.requests.get(3).securityToken());

        db.reconnect();
        db.call("GetItem", getItem());
        assertEquals(3, fetches.get(), "after a restore the snapshot's credentials are not trusted");
    }

    @Test
    void answeringFromSendsNothing() throws Exception {
        stub();
        DynamoDb db = DynamoDb.fromEnvironment(env(), WebChatRuntime.STORE_TIMEOUT);
        JsonNode[] answer = new JsonNode[1];

        db.answeringFrom(operation -> Json.object().put("answered", operation), () -> answer[0] = db.call("GetItem", getItem()));

        assertEquals("GetItem", answer[0].path("answered").asText());
        assertEquals(List.of(), stub.requests);
        db.call("GetItem", getItem());
        assertEquals(1, stub.requests.size(), "afterwards calls go to DynamoDB again");
    }

    // --- bounded in time ---------------------------------------------------------------------------------------

    @Test
    void aStoreThatNeverAnswersFailsWithinTheTimeoutInsteadOfHanging() {
        DynamoDb db = local.db(WebChatRuntime.STORE_TIMEOUT);
        db.call("GetItem", getItem()); // a kept connection, as a warm function has

        local.whilePaused(() -> {
            long started = System.nanoTime();
            AwsException error = assertThrows(AwsException.class, () -> db.call("GetItem", getItem()));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals("DynamoDB did not answer GetItem within 800 ms", error.getMessage());
            assertEquals(0, error.status());
            assertTrue(tookMillis >= 750 && tookMillis < 2_000, "took " + tookMillis + " ms");
        });
    }

    @Test
    void theInvocationsDeadlineCutsACallShorter() {
        DynamoDb db = local.db(WebChatRuntime.STORE_TIMEOUT);

        local.whilePaused(() -> {
            long started = System.nanoTime();
            assertThrows(AwsException.class, () -> Deadline.after(Duration.ofMillis(200)).run(() -> db.call("GetItem", getItem())));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertTrue(tookMillis < 750, "the 200 ms left, not the 800 ms timeout: took " + tookMillis + " ms");
        });
    }

    @Test
    void noCallIsStartedWithoutTimeLeft() throws Exception {
        stub();
        DynamoDb db = DynamoDb.fromEnvironment(env(), WebChatRuntime.STORE_TIMEOUT);

        AwsException error = assertThrows(AwsException.class,
                () -> Deadline.after(Duration.ofMillis(5)).run(() -> db.call("GetItem", getItem())));

        assertEquals("no time left for DynamoDB GetItem", error.getMessage());
        assertEquals(List.of(), stub.requests);
    }

    @Test
    void aStoreThatStoppedFailsAtOnce() {
        LocalDynamo own = LocalDynamo.start(Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize());
        DynamoDb db;
        try {
            db = DynamoDb.fromEnvironment(own.environment(), WebChatRuntime.STORE_TIMEOUT);
            assertTrue(db.call("GetItem", getItem()).isObject(), "it answered while it ran");
        } finally {
            own.close();
        }

        for (int attempt = 0; attempt < 2; attempt++) { // the kept connection, then a new one
            long started = System.nanoTime();
            AwsException error = assertThrows(AwsException.class, () -> db.call("GetItem", getItem()));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertTrue(error.getMessage().startsWith("could not reach DynamoDB for GetItem"), error.getMessage());
            assertTrue(tookMillis < 500, "took " + tookMillis + " ms");
        }
    }

    // --- one wait per invocation ------------------------------------------------------------------------------

    @Test
    void withinAnInvocationAStoreThatDidNotAnswerIsWaitedOnOnceAndTheNextCallIsNotSent() {
        DynamoDb db = local.db(WebChatRuntime.STORE_TIMEOUT);
        db.call("GetItem", getItem()); // a kept connection, as a warm function has
        UpstreamTime invocation = new UpstreamTime();
        long[] tookMillis = new long[2];

        local.whilePaused(() -> invocation.run(() -> {
            long started = System.nanoTime();
            AwsException first = assertThrows(AwsException.class, () -> db.call("GetItem", getItem()));
            tookMillis[0] = millisSince(started);
            started = System.nanoTime();
            AwsException second = assertThrows(AwsException.class, () -> db.call("PutItem", putMarker("marker#not-sent")));
            tookMillis[1] = millisSince(started);

            assertEquals("DynamoDB did not answer GetItem within 800 ms", first.getMessage());
            assertEquals("DynamoDB PutItem not sent: the store did not answer earlier in this invocation", second.getMessage());
            assertEquals(0, second.status());
            return null;
        }));

        assertTrue(tookMillis[0] >= 750 && tookMillis[0] < 2_000, "the first call waits its timeout: took " + tookMillis[0] + " ms");
        assertTrue(tookMillis[1] < 100, "the second fails at once: took " + tookMillis[1] + " ms");
        // The engine, going on, carried out what was sent to it while it stood still: not the write.
        assertEquals(List.of(), local.items(), "the PutItem never reached the engine");
        long storeMillis = invocation.of(DynamoDb.UPSTREAM).toMillis();
        assertTrue(storeMillis >= 750 && storeMillis < 2_000, "one wait counted as the store's time: " + storeMillis + " ms");
    }

    @Test
    void outsideAnInvocationEveryCallWaitsItsOwnTimeout() {
        assertNull(UpstreamTime.current(), "no invocation on this thread");
        DynamoDb db = local.db(LocalStore.TIMEOUT);
        db.call("GetItem", getItem());

        local.whilePaused(() -> {
            for (int call = 0; call < 2; call++) {
                long started = System.nanoTime();
                AwsException error = assertThrows(AwsException.class, () -> db.call("GetItem", getItem()));
                long tookMillis = millisSince(started);

                assertEquals("DynamoDB did not answer GetItem within 300 ms", error.getMessage(), "call " + call);
                assertTrue(tookMillis >= 280 && tookMillis < 1_500, "call " + call + " took " + tookMillis + " ms");
            }
        });
    }

    @Test
    void theNextInvocationTriesAgainAndIsAnsweredOnceTheStoreIsBack() {
        DynamoDb db = local.db(WebChatRuntime.STORE_TIMEOUT);
        db.call("GetItem", getItem());
        UpstreamTime earlier = new UpstreamTime();
        local.whilePaused(() -> earlier.run(() -> assertThrows(AwsException.class, () -> db.call("GetItem", getItem()))));

        // The store answers again; the invocation that found it silent does not ask it again...
        AwsException stillSilent = assertThrows(AwsException.class, () -> earlier.run(() -> db.call("GetItem", getItem())));
        assertTrue(stillSilent.getMessage().endsWith("not sent: the store did not answer earlier in this invocation"),
                stillSilent.getMessage());

        // ...the next one does, and is answered.
        UpstreamTime next = new UpstreamTime();
        long started = System.nanoTime();
        assertTrue(next.run(() -> db.call("PutItem", putMarker("marker#next-invocation"))).isObject());

        assertTrue(millisSince(started) < 750, "answered, not timed out: took " + millisSince(started) + " ms");
        assertEquals(List.of("marker#next-invocation"), local.items().stream().map(i -> i.path("pk").path("S").asText()).toList());
        assertTrue(next.run(() -> db.call("GetItem", getItem())).isObject(), "and its later calls are sent too");
    }

    @Test
    void withinAnInvocationAStoreThatRefusedTheConnectionIsNotAskedAgain() {
        DynamoDb db = DynamoDb.fromEnvironment(LocalStore.refusingEnvironment(), WebChatRuntime.STORE_TIMEOUT);
        UpstreamTime invocation = new UpstreamTime();

        AwsException first = assertThrows(AwsException.class, () -> invocation.run(() -> db.call("GetItem", getItem())));
        AwsException second = assertThrows(AwsException.class, () -> invocation.run(() -> db.call("UpdateItem", getItem())));

        assertTrue(first.getMessage().startsWith("could not reach DynamoDB for GetItem"), first.getMessage());
        assertEquals("DynamoDB UpdateItem not sent: the store did not answer earlier in this invocation", second.getMessage());
    }
}
