package com.flexwebchat.local.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.flexwebchat.emulator.TwilioEmulator;
import com.flexwebchat.local.LocalApi;
import com.flexwebchat.local.ProjectRoot;
import com.flexwebchat.shared.testing.property.Gen;
import com.flexwebchat.shared.testing.property.Property;
import com.flexwebchat.shared.testing.property.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A method other than POST matches no route of the HTTP API (every route is {@code POST /path}),
 * and API Gateway answers a request that matches no route itself: 404 {@code {"message":"Not Found"}}
 * ("If no routes match a request, API Gateway returns {"message":"Not Found"} to the client",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html). No
 * function runs, so nothing reaches Twilio. {@code ./run-local} ({@link LocalApi}) must answer the
 * same, over real HTTP on 127.0.0.1.
 */
@ExtendWith(Seeds.class)
class InputMethodsTest {

    static LocalApi api;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final List<String> ROUTES = List.of("/initWebchat", "/endChat", "/refreshToken", "/webhooks/studio",
            "/webhooks/conversations", "/webhooks/taskrouter");

    @BeforeAll
    static void start() {
        api = LocalApi.start(new LocalApi.Options(ProjectRoot.find().resolve("template.yaml"), 0, Map.of(), 0,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    record Call(String method, String path, boolean preflightHeaders) {
    }

    static Gen<Call> calls() {
        Gen<String> method = Gen.element("GET", "PUT", "DELETE", "PATCH", "HEAD", "FOO", "PROPFIND", "CONNECTX");
        Gen<String> path = Gen.oneOf(Gen.element(ROUTES), Gen.element(ROUTES),
                Gen.element("/", "/initwebchat", "/initWebchat/", "/webhooks", "/webhooks/studio/x", "/InitWebchat", "/x",
                        "/initWebchat%20", "/%2FinitWebchat"));
        return random -> new Call(method.next(random), path.next(random), random.nextBoolean());
    }

    @Test
    void aMethodOtherThanPostIsApiGateways404AndRunsNoFunction(Property property) {
        TwilioEmulator emulator = api.emulator().orElseThrow();
        property.forAll("methods other than POST", 150, calls(), call -> {
            emulator.clearRequests();
            long invocations = api.invocations();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + call.path()))
                    .timeout(Duration.ofSeconds(10))
                    .method(call.method(), HttpRequest.BodyPublishers.ofString("{\"formData\":{}}"))
                    .header("Content-Type", "application/json");
            if (call.preflightHeaders()) {
                request.header("Origin", "http://localhost:3000");
            }
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, response.statusCode(), call + " " + response.body());
            if (!call.method().equals("HEAD")) {
                assertEquals("{\"message\":\"Not Found\"}", response.body());
            }
            assertEquals(invocations, api.invocations(), "no function ran");
            assertTrue(emulator.requests().isEmpty(), "nothing reached Twilio");
        });
    }
}
