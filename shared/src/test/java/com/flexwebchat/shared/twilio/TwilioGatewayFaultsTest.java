package com.flexwebchat.shared.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.flexwebchat.emulator.EmulatorAccount;
import com.flexwebchat.emulator.Fault;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.shared.invocation.Deadline;
import com.flexwebchat.shared.testing.EmulatedTwilio;
import com.twilio.rest.conversations.v1.service.ConversationCreator;
import com.twilio.rest.conversations.v1.service.ConversationFetcher;
import com.twilio.rest.conversations.v1.service.ConversationReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one mapping of a failed Twilio call, whatever the shape of the call (a create, a fetch, a find, a list
 * page) and however Twilio failed it (an error answer, an answer the SDK cannot read, a dropped connection, no
 * answer): always a {@link TwilioFailure}, answered (502) or not (504), never one of the SDK's own exceptions,
 * which the HTTP layer would answer 500. Real SDK, over HTTP, against the emulator.
 */
class TwilioGatewayFaultsTest {

    static final EmulatorAccount ACCOUNT = EmulatorAccount.defaults();
    static final String SERVICE = ACCOUNT.conversationsServiceSid();
    static final String CONVERSATIONS = "/conversations/v1/Services/" + SERVICE + "/Conversations";
    /** Short, so a call without answer gives up quickly. */
    static final Duration BUDGET = Duration.ofMillis(700);

    @RegisterExtension
    static final EmulatedTwilio twilio = EmulatedTwilio.sharedByTheClass();

    /** One way of calling Twilio through the gateway, and the request it makes. */
    enum Shape {
        CREATE("POST", CONVERSATIONS),
        FETCH("GET", CONVERSATIONS + "/CH[0-9a-f]{32}"),
        FIND("GET", CONVERSATIONS + "/CH[0-9a-f]{32}"),
        LIST_PAGE("GET", CONVERSATIONS);

        final String method;
        final String path;

        Shape(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Object run(TwilioGateway gateway, String existing) {
            return switch (this) {
                case CREATE -> gateway.call("create a conversation", client ->
                        new ConversationCreator(SERVICE).setFriendlyName("faults").create(client));
                case FETCH -> gateway.call("read a conversation", client -> new ConversationFetcher(SERVICE, existing).fetch(client));
                case FIND -> gateway.find("find a conversation", client -> new ConversationFetcher(SERVICE, existing).fetch(client));
                case LIST_PAGE -> gateway.call("list conversations", client ->
                        new ConversationReader(SERVICE).setPageSize(5L).firstPage(client).getRecords());
            };
        }
    }

    /** What the gateway must make of the fault: answered (502) or not (504), and for a 404 found empty. */
    enum Expected { ANSWERED, NOT_ANSWERED, NOT_ANSWERED_OR_READ_AGAIN }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            cases.add(Arguments.of(shape, "500 (and the read's retry)", Fault.error(500, 20500), 2, Expected.ANSWERED));
            cases.add(Arguments.of(shape, "429 every time", Fault.error(429, 20429), 3, Expected.ANSWERED));
            cases.add(Arguments.of(shape, "401", Fault.error(401, 20003), 1, Expected.ANSWERED));
            cases.add(Arguments.of(shape, "404", Fault.error(404, 20404), 1, Expected.ANSWERED));
            cases.add(Arguments.of(shape, "garbled", Fault.garbled(), 1, Expected.ANSWERED));
            cases.add(Arguments.of(shape, "no answer", Fault.noAnswer(), 1, Expected.NOT_ANSWERED));
            // The JDK's client sends a GET again, once, when a kept-alive connection closes before any answer.
            cases.add(Arguments.of(shape, "dropped", Fault.dropped(), 1,
                    shape.method.equals("GET") ? Expected.NOT_ANSWERED_OR_READ_AGAIN : Expected.NOT_ANSWERED));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void everyFailureOfEveryCallIsATwilioFailure(Shape shape, String name, Fault fault, int times, Expected expected) {
        TwilioGateway gateway = twilio.runtime().twilio();
        String existing = gateway.call("create a conversation", client ->
                new ConversationCreator(SERVICE).setFriendlyName("there").create(client)).getSid();
        twilio.emulator().clearRequests();
        twilio.emulator().inject(shape.method, shape.path, 0, times, fault);

        long started = System.nanoTime();
        Object outcome;
        try {
            outcome = Deadline.after(BUDGET).run(() -> shape.run(gateway, existing));
        } catch (TwilioFailure failure) {
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(millis < BUDGET.toMillis() + 500, "took " + millis + " ms");
            assertEquals(expected == Expected.ANSWERED, failure.answered(), name + ": " + failure.getMessage());
            if (fault instanceof Fault.ErrorAnswer error) {
                assertEquals(error.status(), failure.twilioStatus());
            }
            assertFalse(failure.getMessage().contains("{"), "Twilio's answer stays out of the message: " + failure.getMessage());
            assertWrittenOnce(shape);
            return;
        } catch (RuntimeException e) {
            fail(shape + ", " + name + ": " + e.getClass().getName() + " escaped the gateway: " + e.getMessage());
            return;
        }
        boolean notFound = shape == Shape.FIND && outcome instanceof Optional<?> found && found.isEmpty()
                && fault instanceof Fault.ErrorAnswer error && error.status() == 404;
        boolean readAgain = expected == Expected.NOT_ANSWERED_OR_READ_AGAIN
                && twilio.emulator().requests(shape.method, shape.path).size() == 2;
        assertTrue(notFound || readAgain, shape + ", " + name + ": no failure, but " + outcome);
    }

    /** Answers of the wrong shape, which no fault on the wire produces: the SDK reads them into nothing, or fails inside. */
    static Stream<Arguments> wrongShapes() {
        return Stream.of(
                Arguments.of("a page without its records", Shape.LIST_PAGE, "{}"),
                Arguments.of("a page that is a list", Shape.LIST_PAGE, "[]"),
                Arguments.of("a page of nulls", Shape.LIST_PAGE, "{\"conversations\": [null], \"meta\": {\"key\": \"conversations\"}}"),
                Arguments.of("a resource that is null", Shape.FETCH, "null"),
                Arguments.of("a resource that is null", Shape.FIND, "null"),
                Arguments.of("a created resource that is a list", Shape.CREATE, "[1, 2]"),
                Arguments.of("an empty answer", Shape.CREATE, ""),
                Arguments.of("an error whose body is not Twilio's", Shape.FETCH, "<html>502 Bad Gateway</html>"));
    }

    @ParameterizedTest(name = "{1}, {0}")
    @MethodSource("wrongShapes")
    void anAnswerOfTheWrongShapeIsAnUnreadableAnswer(String name, Shape shape, String body) {
        TwilioGateway gateway = twilio.runtime().twilio();
        int status = body.startsWith("<html>") ? 502 : 200;
        TwilioFailure[] failure = {null};
        gateway.answeringFrom(request -> new com.twilio.http.Response(body, status), () -> {
            try {
                shape.run(gateway, "CH" + "0".repeat(32));
            } catch (TwilioFailure e) {
                failure[0] = e;
            } catch (RuntimeException e) {
                fail(name + ": " + e.getClass().getName() + " escaped the gateway");
            }
        });
        assertTrue(failure[0] != null, name + " was read as an answer");
        // The SDK keeps no status for an error it cannot parse either: unreadable, answered all the same (502).
        assertEquals(TwilioFailure.Kind.UNREADABLE_ANSWER, failure[0].kind());
        assertTrue(failure[0].answered());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void listReadsAPageInsideTheCall(Shape shape, String name, Fault fault, int times, Expected expected) {
        if (shape != Shape.LIST_PAGE) {
            return;
        }
        TwilioGateway gateway = twilio.runtime().twilio();
        twilio.emulator().inject(shape.method, shape.path, 0, times, fault);
        try {
            Deadline.after(BUDGET).run(() -> gateway.list("list conversations", client -> new ConversationReader(SERVICE).setPageSize(5L).firstPage(client)));
            assertEquals(Expected.NOT_ANSWERED_OR_READ_AGAIN, expected, name + ": no failure");
        } catch (TwilioFailure e) {
            assertEquals(expected == Expected.ANSWERED, e.answered(), name);
        }
    }

    @org.junit.jupiter.api.Test
    void aLazilyPagedResourceSetIsRefusedBeforeAnyOfItsPagesIsReadOutsideTheCall() {
        TwilioGateway gateway = twilio.runtime().twilio();
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> gateway.call("list conversations", client -> new ConversationReader(SERVICE).read(client)));
        assertTrue(refused.getMessage().contains("TwilioGateway.list"), refused.getMessage());
    }

    /** A create is never sent twice, whatever became of the first (Twilio may have done it). */
    private static void assertWrittenOnce(Shape shape) {
        if (shape == Shape.CREATE) {
            List<RecordedRequest> creates = twilio.emulator().requests("POST", CONVERSATIONS);
            assertTrue(creates.size() == 1 || creates.stream().allMatch(r -> r.status() == 429),
                    "creates sent: " + creates);
        }
    }
}
