package com.flexwebchat.shared.standin;

import java.net.http.HttpRequest;
import java.util.function.Function;

/**
 * One client's stand-in for its remote service, the same for every client: while
 * {@link #answering} runs its work, each request the client builds is still sent through the
 * client's own HTTP client, but to a {@link LoopbackAnswers} server opened for that work, which
 * answers it with what {@code answers} gives for the request's question; nothing reaches the
 * service. Outside it, requests go where they were built to go.
 *
 * @param <Q> what the client knows of a request that its answers are chosen by (Twilio's request,
 *            DynamoDB's operation)
 */
public final class StandIn<Q> {

    /** An answer: the HTTP status and body the loopback server sends. */
    public record Answer(int status, byte[] body) {
    }

    private record Scope<Q>(Function<Q, Answer> answers, LoopbackAnswers server) {
    }

    private volatile Scope<Q> scope;

    /** Runs {@code work} with every request answered by {@code answers}, through a loopback server opened for it. */
    public void answering(Function<Q, Answer> answers, Runnable work) {
        try (LoopbackAnswers server = LoopbackAnswers.open()) {
            scope = new Scope<>(answers, server);
            work.run();
        } finally {
            scope = null;
        }
    }

    /** Whether requests are being answered here: then nothing may leave the process. */
    public boolean active() {
        return scope != null;
    }

    /**
     * The request to send: {@code request} itself, or, while answering, the same request carried to
     * the loopback server with the answer for {@code question} (which may throw, as the service
     * failing to answer would).
     */
    public HttpRequest route(HttpRequest request, Q question) {
        Scope<Q> current = scope;
        if (current == null) {
            return request;
        }
        Answer answer = current.answers().apply(question);
        return current.server().carrying(request, answer.status(), answer.body());
    }
}
