package com.flexwebchat.shared.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A client's stand-in: requests routed to the loopback answers only while {@link StandIn#answering} runs. */
class StandInTest {

    private static final HttpRequest TO_DYNAMODB = HttpRequest.newBuilder(URI.create("https://dynamodb.us-east-1.amazonaws.com/"))
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

    @Test
    void whileAnsweringEachRequestGetsItsQuestionsAnswerThroughTheClientAndOutsideItGoesWhereItWasBuiltToGo() throws Exception {
        StandIn<String> standIn = new StandIn<>();
        HttpClient http = HttpClient.newHttpClient();
        List<String> asked = new ArrayList<>();
        List<String> answered = new ArrayList<>();

        assertSame(TO_DYNAMODB, standIn.route(TO_DYNAMODB, "GetItem"));
        standIn.answering(question -> {
            asked.add(question);
            return new StandIn.Answer(200, ("{\"asked\":\"" + question + "\"}").getBytes(StandardCharsets.UTF_8));
        }, () -> {
            assertTrue(standIn.active());
            try {
                HttpRequest routed = standIn.route(TO_DYNAMODB, "UpdateItem");
                assertEquals("127.0.0.1", routed.uri().getHost());
                answered.add(http.send(routed, HttpResponse.BodyHandlers.ofString()).body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertEquals(List.of("UpdateItem"), asked);
        assertEquals(List.of("{\"asked\":\"UpdateItem\"}"), answered);
        assertFalse(standIn.active());
        assertSame(TO_DYNAMODB, standIn.route(TO_DYNAMODB, "GetItem"));
    }

    @Test
    void anAnswerThatFailsFailsTheRequestAndTheScopeStillEnds() {
        StandIn<String> standIn = new StandIn<>();

        assertThrows(IllegalStateException.class, () -> standIn.answering(question -> {
            throw new IllegalStateException("no recording for " + question);
        }, () -> standIn.route(TO_DYNAMODB, "Query")));

        assertFalse(standIn.active());
    }
}
