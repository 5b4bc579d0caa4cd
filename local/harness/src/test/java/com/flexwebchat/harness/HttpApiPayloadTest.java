package com.flexwebchat.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flexwebchat.shared.http.HttpApiPayload;
import com.flexwebchat.shared.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our reading and writing of the HTTP API payload (what the functions do since they take the
 * event's bytes) against the Java runtime's own serialisers, which read and wrote it while the
 * functions were {@code RequestHandler}s: the same event from every events/ file and from the
 * requests the local API builds, and answers API Gateway reads the same.
 */
class HttpApiPayloadTest {

    private static final PojoSerializer<APIGatewayV2HTTPEvent> RUNTIME_EVENTS =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, HttpApiPayloadTest.class.getClassLoader());
    private static final PojoSerializer<APIGatewayV2HTTPResponse> RUNTIME_RESPONSES =
            LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, HttpApiPayloadTest.class.getClassLoader());

    static Stream<Path> eventFiles() throws IOException {
        return Files.list(SamLocalInvoke.projectRoot().resolve("events")).filter(f -> f.toString().endsWith(".json")).sorted();
    }

    @ParameterizedTest
    @MethodSource("eventFiles")
    void readsEveryEventFileAsTheRuntimeDoes(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);

        APIGatewayV2HTTPEvent ours = HttpApiPayload.read(new ByteArrayInputStream(bytes));

        assertEquals(RUNTIME_EVENTS.fromJson(new ByteArrayInputStream(bytes)), ours);
    }

    @Test
    void readsEveryFieldOfTheFormatAsTheRuntimeDoes() throws IOException {
        ObjectNode event = HttpApiEvents.requestJson("POST", "/webhooks/{kind}", "/webhooks/studio", "a=1&b=two%20words",
                Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", "c=1"), "x=1&y=%C3%A9", true, "203.0.113.9");
        event.putArray("cookies").add("c=1").add("d=2");
        event.putObject("pathParameters").put("kind", "studio");
        event.putObject("stageVariables").put("tier", "prod");
        byte[] bytes = Json.write(event).getBytes(StandardCharsets.UTF_8);

        APIGatewayV2HTTPEvent ours = HttpApiPayload.read(new ByteArrayInputStream(bytes));

        assertEquals(RUNTIME_EVENTS.fromJson(new ByteArrayInputStream(bytes)), ours);
        assertEquals(List.of("c=1", "d=2"), ours.getCookies());
        assertEquals("203.0.113.9", ours.getRequestContext().getHttp().getSourceIp());
        assertEquals(event.at("/requestContext/timeEpoch").asLong(), ours.getRequestContext().getTimeEpoch());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "\"text\"", "42", "null", "{\"version\": \"2.0\", "})
    void aPayloadThatIsNoJsonObjectIsNoEvent(String payload) throws IOException {
        assertNull(HttpApiPayload.read(new ByteArrayInputStream(payload.getBytes(StandardCharsets.UTF_8))));
    }

    static List<APIGatewayV2HTTPResponse> responses() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Access-Control-Allow-Origin", "https://shop.example.com");
        return List.of(
                APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
                        .withBody("{\"token\":\"a\\\"b\",\"name\":\"Zoë ✓\"}").withIsBase64Encoded(false).build(),
                APIGatewayV2HTTPResponse.builder().withStatusCode(204).withIsBase64Encoded(false).build(),
                APIGatewayV2HTTPResponse.builder().withStatusCode(201).withHeaders(headers)
                        .withMultiValueHeaders(Map.of("X-Many", List.of("1", "2"))).withCookies(List.of("a=1; Path=/", "b=2"))
                        .withBody("eyJhIjoxfQ==").withIsBase64Encoded(true).build());
    }

    @ParameterizedTest
    @MethodSource("responses")
    void writesAnswersThatReadAsTheyWereAndAsTheRuntimeWritesThem(APIGatewayV2HTTPResponse response) throws IOException {
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        HttpApiPayload.write(response, ours);
        ByteArrayOutputStream runtime = new ByteArrayOutputStream();
        RUNTIME_RESPONSES.toJson(response, runtime);

        assertEquals(response, HttpApiEvents.responseFromJson(ours.toString(StandardCharsets.UTF_8)));
        assertEquals(withoutNulls(Json.MAPPER.readTree(runtime.toByteArray())), Json.MAPPER.readTree(ours.toByteArray()));
        assertFalse(ours.toString(StandardCharsets.UTF_8).contains("null"), "unset fields are left out");
    }

    /** The runtime's JSON without its null fields (API Gateway reads a missing field and a null one alike). */
    private static JsonNode withoutNulls(JsonNode json) {
        if (json instanceof ObjectNode object) {
            ObjectNode copy = Json.object();
            object.properties().forEach(field -> {
                if (!field.getValue().isNull()) {
                    copy.set(field.getKey(), withoutNulls(field.getValue()));
                }
            });
            return copy;
        }
        return json;
    }
}
