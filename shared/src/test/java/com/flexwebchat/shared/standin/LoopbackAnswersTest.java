package com.flexwebchat.shared.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Requests carried to the loopback server through a real JDK HTTP client, as the transports carry theirs. */
class LoopbackAnswersTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static HttpRequest toTwilio(String body) {
        return HttpRequest.newBuilder(URI.create("https://conversations.twilio.com/v1/Conversations/CH1/Messages?Order=desc"))
                .timeout(Duration.ofSeconds(2))
                .header("Authorization", "Basic dGVzdA==")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    @Test
    void eachRequestGetsTheAnswerRegisteredForItOverOneKeptAliveConnection() throws Exception {
        try (LoopbackAnswers server = LoopbackAnswers.open()) {
            HttpRequest first = server.carrying(toTwilio("Body=hello"), 201, "{\"sid\":\"IM1\"}".getBytes(StandardCharsets.UTF_8));
            HttpRequest second = server.carrying(toTwilio("Body=again"), 404, "{\"code\":20404}".getBytes(StandardCharsets.UTF_8));

            HttpResponse<String> one = http.send(first, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> two = http.send(second, HttpResponse.BodyHandlers.ofString());

            assertEquals(201, one.statusCode());
            assertEquals("{\"sid\":\"IM1\"}", one.body());
            assertEquals(404, two.statusCode());
            assertEquals("{\"code\":20404}", two.body());
            assertEquals("127.0.0.1", first.uri().getHost(), "nothing is sent to the original host");
            assertEquals("/v1/Conversations/CH1/Messages", first.uri().getRawPath());
            assertEquals("Order=desc", first.uri().getRawQuery());
            assertEquals("Basic dGVzdA==", first.headers().firstValue("Authorization").orElseThrow(), "headers as they were");
            assertEquals(Duration.ofSeconds(2), first.timeout().orElseThrow());
        }
    }

    @Test
    void aRequestWithNoAnswerRegisteredIsAnswered500() throws Exception {
        try (LoopbackAnswers server = LoopbackAnswers.open()) {
            HttpRequest carried = server.carrying(toTwilio("x=1"), 200, new byte[0]);
            HttpRequest unregistered = HttpRequest.newBuilder(carried, (name, value) -> !name.equalsIgnoreCase(LoopbackAnswers.ANSWER_HEADER))
                    .build();

            assertEquals(500, http.send(unregistered, HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(200, http.send(carried, HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void afterCloseNothingListens() {
        LoopbackAnswers server = LoopbackAnswers.open();
        HttpRequest carried = server.carrying(toTwilio("x=1"), 200, new byte[0]);
        server.close();

        assertThrows(IOException.class, () -> http.send(carried, HttpResponse.BodyHandlers.ofString()));
    }
}
