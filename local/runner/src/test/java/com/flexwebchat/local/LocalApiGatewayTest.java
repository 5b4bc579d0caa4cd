package com.flexwebchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What LocalApi does around a function, as API Gateway would, shown with stub handlers. */
class LocalApiGatewayTest {

    private static final String ORIGIN = "http://localhost:3000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient client = HttpClient.newHttpClient();
    private static LocalApi api;

    @BeforeAll
    static void start() throws Exception {
        Path template = Path.of(LocalApiGatewayTest.class.getResource("/stub-template.yaml").toURI());
        // A real-looking account: no emulator is started; the stubs read no configuration.
        api = LocalApi.start(new LocalApi.Options(template, 0,
                Map.of("ACCOUNT_SID", "AC00000000000000000000000000000000", "ALLOWED_ORIGINS", ORIGIN + "/"), 0,
                new PrintStream(OutputStream.nullOutputStream())));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static HttpResponse<String> post(String path, String contentType, String body, String origin) throws Exception {
        return client.send(HttpRequest.newBuilder(api.baseUrl().resolve(path))
                .header("Content-Type", contentType).header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eventAndResponseAsApiGatewayBuildsThem() throws Exception {
        HttpResponse<String> response = post("/echo/ada?x=1&y=2", "application/json", "{\"a\":1}", ORIGIN);

        assertEquals(201, response.statusCode());
        JsonNode echo = JSON.readTree(response.body()); // the gateway decoded the function's base64 body
        assertEquals("ANY /echo/{name}", echo.path("routeKey").asText());
        assertEquals("POST", echo.path("method").asText());
        assertEquals("/echo/ada", echo.path("rawPath").asText());
        assertEquals("x=1&y=2", echo.path("rawQueryString").asText());
        assertFalse(echo.path("isBase64Encoded").asBoolean());
        assertEquals("{\"a\":1}", echo.path("body").asText());
        assertEquals("http", echo.path("forwardedProto").asText());
        assertEquals("EchoFunction", echo.path("functionName").asText());
        assertTrue(echo.path("remainingMillis").asInt() > 4_000 && echo.path("remainingMillis").asInt() <= 5_000);
        assertEquals(List.of("a=1; Path=/", "b=2"), response.headers().allValues("Set-Cookie"));
        assertEquals("yes", response.headers().firstValue("X-Echo").orElse(null));
    }

    @Test
    void nonTextBodiesArriveBase64Encoded() throws Exception {
        JsonNode echo = JSON.readTree(post("/echo/ada", "application/x-www-form-urlencoded", "a=b&c=d", ORIGIN).body());
        assertTrue(echo.path("isBase64Encoded").asBoolean());
        assertEquals("a=b&c=d", new String(Base64.getDecoder().decode(echo.path("body").asText())));
    }

    @Test
    void gatewayReplacesTheFunctionsCorsHeaders() throws Exception {
        HttpResponse<String> allowed = post("/echo/ada", "application/json", "{}", ORIGIN);
        assertEquals(ORIGIN, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "the configured origin, not the function's *");
        assertEquals("x-echo", allowed.headers().firstValue("Access-Control-Expose-Headers").orElse(null));
        assertEquals("true", allowed.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));

        HttpResponse<String> other = post("/echo/ada", "application/json", "{}", "https://evil.example");
        assertEquals(201, other.statusCode());
        assertTrue(other.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "the function's * is dropped");

        HttpResponse<String> preflight = client.send(HttpRequest.newBuilder(api.baseUrl().resolve("/echo/ada"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertEquals("GET,POST", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
        assertEquals("content-type,x-custom", preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Max-Age").isEmpty(), "no MaxAge configured");

        HttpResponse<String> notPreflight = client.send(HttpRequest.newBuilder(api.baseUrl().resolve("/echo/ada"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, notPreflight.statusCode(), "without Access-Control-Request-Method it is routed (ANY)");
    }

    @Test
    void functionErrorsAndTimeoutsAre500() throws Exception {
        HttpResponse<String> boom = post("/boom", "application/json", "{}", ORIGIN);
        assertEquals(500, boom.statusCode());
        assertEquals("{\"message\":\"Internal Server Error\"}", boom.body());

        long started = System.nanoTime();
        HttpResponse<String> slow = post("/slow", "application/json", "{}", ORIGIN);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(500, slow.statusCode());
        assertTrue(millis >= 900 && millis < 4_000, "cut off at the function's 1 s Timeout, took " + millis + " ms");
    }
}
