package com.flexwebchat.local.campaign;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One request to one route, in one web chat mode, from a state Twilio is brought into first: what the
 * fault campaign sends again and again with a fault at each of the Twilio calls it makes.
 *
 * @param route       the route and the case, e.g. {@code /endChat}
 * @param legacy      legacy (Programmable Chat) mode
 * @param prepare     brings Twilio into the state the request expects (a chat, a task, an agent...) and
 *                    answers the request, ready to be sent (and sent again, as a retry)
 * @param alsoAllowed documented answers besides the clean one, 502 and 504, each as {@code "404 conversation_not_found"}
 *                    (status and error code, or the status alone for a success)
 */
record FaultScenario(String route, boolean legacy, Function<FaultWorld, Prepared> prepare, Set<String> alsoAllowed) {

    /** A request ready to be sent, and what must hold at Twilio once it was answered with success. */
    record Prepared(Supplier<APIGatewayV2HTTPResponse> send, Function<FaultWorld, List<String>> afterSuccess) {

        static Prepared of(Supplier<APIGatewayV2HTTPResponse> send) {
            return new Prepared(send, world -> List.of());
        }
    }

    String name() {
        return route + (legacy ? " (legacy)" : "");
    }

    @Override
    public String toString() {
        return name();
    }
}
