package com.flexwebchat.local.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.flexwebchat.emulator.RecordedRequest;
import com.flexwebchat.local.campaign.FaultScenario.Prepared;
import com.flexwebchat.shared.log.Log;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The fault campaign: every Twilio call of every route and webhook, in both web chat modes, under
 * every {@link FaultKind}, through the real handlers (API Gateway events as the Lambda runtime
 * deserialises them), the real SDK over HTTP, the emulator and the store (dynalite).
 *
 * <p>The calls are not listed here: each {@link FaultScenarios scenario} is run once without faults
 * and every request the emulator recorded becomes a {@link FaultPosition} (the k-th call to one
 * path), so a route that gains a Twilio call is covered by the next build. Then, for each position
 * and fault, a case: the scenario's state prepared afresh, the fault armed at that call alone, the
 * request sent, and:
 * <ul>
 *   <li>the answer is the clean run's, or (unless the fault is harmless: a late answer, a 429 the
 *       transport retries) 502 {@code twilio_error} for a Twilio error, a cut body or a 404, 504
 *       {@code twilio_timeout} for no answer or a dropped connection, or a documented alternative
 *       (Studio's 404 {@code conversation_not_found}); never a 500;</li>
 *   <li>it came within the function's time ({@link FaultWorld#LAMBDA_TIMEOUT});</li>
 *   <li>no write was sent again after an answer the client could not know (a 5xx, none, a cut one,
 *       a dropped connection), unless it is an update that can be repeated (a POST to a resource;
 *       creating is a POST to a collection);</li>
 *   <li>every chat Twilio created is closed, or has the closed timer {@code /initWebchat} sets; or,
 *       when the create's answer itself was lost (the function never learned its SID), is an orphan
 *       that closes by the account's default timer (what {@code ./run-local wire} sets);</li>
 *   <li>a success left what it promises (an ended chat closed);</li>
 *   <li>after a failure, the same request sent again without the fault (the widget's retry,
 *       Twilio's redelivery) is answered as the clean run was: nothing is left blocking it;</li>
 *   <li>every exchange conforms to Twilio's OpenAPI specs.</li>
 * </ul>
 * A failing case is printed as {@code route | call k METHOD template | fault}; to run only some
 * cases again, {@code -Dfault.matrix.only=<part of that line>}.
 */
class FaultMatrixTest {

    /** Worlds run at the same time: most of a case is waiting (for a withheld answer, for the store). */
    static final int WORKERS = 4;
    /** The whole campaign's ceiling; it takes well under a minute. */
    static final Duration CEILING = Duration.ofSeconds(110);

    /** How the route answered: status, the error code when there is one, and how long it took. */
    record Outcome(int status, String code, long millis, String body) {
        String key() {
            return code == null ? Integer.toString(status) : status + " " + code;
        }

        boolean success() {
            return status >= 200 && status < 300;
        }

        static Outcome of(APIGatewayV2HTTPResponse response, long millis) {
            String body = response.getBody() == null ? "" : response.getBody();
            String code = null;
            if (response.getStatusCode() >= 400 && body.startsWith("{")) {
                JsonNode error = FaultWorld.parse(body).path("error").path("code");
                code = error.isTextual() ? error.asText() : null;
            }
            return new Outcome(response.getStatusCode(), code, millis, body.length() > 200 ? body.substring(0, 200) : body);
        }
    }

    /** One scenario's clean run: how it answered, and the calls it made. */
    record Clean(FaultScenario scenario, Outcome outcome, List<FaultPosition> positions) {
    }

    record Case(Clean clean, FaultPosition position, FaultKind kind) {
        String id() {
            return clean.scenario().name() + " | " + position + " | " + kind;
        }
    }

    /** What the campaign saw beyond pass or fail, for its report. */
    static final class Tally {
        final AtomicInteger orphans = new AtomicInteger();
        final AtomicInteger errorsAnswered = new AtomicInteger();
        final AtomicInteger retriesSent = new AtomicInteger();
        final Map<String, Long> slowest = Collections.synchronizedMap(new LinkedHashMap<>());
    }

    @Test
    void everyFaultAtEveryTwilioCallOfEveryRouteIsAnsweredAsTheReadmePromises() throws Exception {
        long started = System.nanoTime();
        String only = System.getProperty("fault.matrix.only", "");
        Log.redirect(new PrintStream(OutputStream.nullOutputStream(), true));
        List<FaultWorld> worlds = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            for (int i = 1; i <= WORKERS; i++) {
                worlds.add(new FaultWorld("w" + i));
            }
            List<Clean> cleanRuns = new ArrayList<>();
            List<String> failures = Collections.synchronizedList(new ArrayList<>());
            for (FaultScenario scenario : FaultScenarios.all()) {
                cleanRuns.add(cleanRun(worlds.get(0), scenario, failures));
            }
            List<Case> cases = new ArrayList<>();
            for (Clean clean : cleanRuns) {
                for (FaultPosition position : clean.positions()) {
                    for (FaultKind kind : FaultKind.values()) {
                        Case c = new Case(clean, position, kind);
                        if (c.id().contains(only)) {
                            cases.add(c);
                        }
                    }
                }
            }
            assertTrue(!cases.isEmpty(), "no case matches -Dfault.matrix.only=" + only);

            ConcurrentLinkedQueue<Case> queue = new ConcurrentLinkedQueue<>(cases);
            Tally tally = new Tally();
            List<Future<?>> running = new ArrayList<>();
            for (FaultWorld world : worlds) {
                running.add(pool.submit(() -> {
                    for (Case next = queue.poll(); next != null; next = queue.poll()) {
                        Case c = next;
                        List<String> problems;
                        try {
                            problems = run(world, c, tally);
                        } catch (RuntimeException | AssertionError e) {
                            problems = List.of("the case itself failed: " + e);
                        }
                        problems.forEach(problem -> failures.add(c.id() + "\n      " + problem));
                    }
                }));
            }
            long ceiling = System.nanoTime() + CEILING.toNanos();
            for (Future<?> worker : running) {
                worker.get(Math.max(1, ceiling - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            System.out.printf("Fault campaign: %d cases (%d scenarios, %d Twilio call positions, %d faults each) in %.1f s;"
                            + " %d answered 502/504, %d retried after a failure, %d orphans left to the account's default closed timer%n",
                    cases.size(), cleanRuns.size(), cleanRuns.stream().mapToInt(c -> c.positions().size()).sum(),
                    FaultKind.values().length, millis / 1000.0, tally.errorsAnswered.get(), tally.retriesSent.get(), tally.orphans.get());
            for (Clean clean : cleanRuns) {
                System.out.printf("  %-60s %s, %d calls: %s%n", clean.scenario().name(), clean.outcome().key(), clean.positions().size(),
                        clean.positions().stream().map(p -> p.method() + " " + p.template()).toList());
            }
            failures.sort(null);
            failures.forEach(failure -> System.out.println("FAILED " + failure));
            assertEquals(0, failures.size(), failures.size() + " of " + cases.size() + " cases failed; the first:\n"
                    + String.join("\n", failures.subList(0, Math.min(30, failures.size()))));
            assertTrue(millis < CEILING.toMillis(), "the campaign took " + millis + " ms");
        } finally {
            pool.shutdownNow();
            worlds.forEach(FaultWorld::close);
            Log.redirect(null);
        }
    }

    /** The scenario without faults: its answer must be a success that leaves Twilio as promised, and its calls are the positions. */
    private static Clean cleanRun(FaultWorld world, FaultScenario scenario, List<String> failures) {
        world.emulator.reset();
        Prepared prepared = scenario.prepare().apply(world);
        world.emulator.clearRequests();
        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = prepared.send().get();
        Outcome outcome = Outcome.of(response, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        List<RecordedRequest> journal = world.emulator.requests();
        List<String> problems = new ArrayList<>();
        if (!outcome.success()) {
            problems.add("without faults it answered " + outcome.key() + ": " + outcome.body());
        }
        if (journal.isEmpty()) {
            problems.add("without faults it made no Twilio call: nothing to put a fault at");
        }
        problems.addAll(prepared.afterSuccess().apply(world));
        problems.addAll(halfDoneChats(world, journal, null));
        problems.addAll(world.emulator.contractViolations());
        problems.forEach(problem -> failures.add(scenario.name() + " | clean run\n      " + problem));
        return new Clean(scenario, outcome, FaultPosition.of(journal));
    }

    private static List<String> run(FaultWorld world, Case c, Tally tally) {
        FaultScenario scenario = c.clean().scenario();
        FaultPosition position = c.position();
        world.emulator.reset();
        Prepared prepared = scenario.prepare().apply(world);
        world.emulator.clearRequests();
        world.emulator.inject(position.method(), position.pathRegex(), position.occurrence() - 1, c.kind().times, c.kind().fault());

        long started = System.nanoTime();
        APIGatewayV2HTTPResponse response = prepared.send().get();
        Outcome outcome = Outcome.of(response, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        List<RecordedRequest> journal = world.emulator.requests();
        world.emulator.reset();

        List<String> problems = new ArrayList<>();
        RecordedRequest faulted = journal.stream().filter(r -> r.fault() != null && position.sameCall(r)).findFirst().orElse(null);
        if (faulted == null) {
            problems.add("the fault was never applied: the route did not make this call (" + journal + ")");
        }
        Set<String> allowed = new LinkedHashSet<>();
        allowed.add(c.clean().outcome().key());
        if (!c.kind().harmless()) {
            allowed.add(c.kind().errorCode());
            allowed.addAll(scenario.alsoAllowed());
        }
        if (!allowed.contains(outcome.key())) {
            problems.add("answered " + outcome.key() + ", expected " + String.join(" or ", allowed) + ": " + outcome.body());
        }
        if (outcome.millis() > FaultWorld.LAMBDA_TIMEOUT.toMillis()) {
            problems.add("answered after " + outcome.millis() + " ms, past the function's " + FaultWorld.LAMBDA_TIMEOUT.toMillis() + " ms");
        }
        problems.addAll(repeatedWrites(journal));
        problems.addAll(halfDoneChats(world, journal, tally));
        if (outcome.success() && c.kind() == FaultKind.NOT_FOUND && position.readsTheChat()) {
            // Twilio said the chat does not exist: the route answers as for an unknown chat (README) and writes nothing after.
            journal.subList(journal.indexOf(faulted) + 1, journal.size()).stream().filter(r -> !r.method().equals("GET"))
                    .forEach(r -> problems.add("Twilio said the chat does not exist, yet " + r + " was sent"));
        } else if (outcome.success()) {
            problems.addAll(prepared.afterSuccess().apply(world));
        } else {
            tally.errorsAnswered.incrementAndGet();
        }
        if (!outcome.key().equals(c.clean().outcome().key())) {
            // The widget retries; Twilio redelivers a webhook it got an error for. Nothing may be left blocking that.
            tally.retriesSent.incrementAndGet();
            world.emulator.clearRequests();
            APIGatewayV2HTTPResponse again = prepared.send().get();
            Outcome retry = Outcome.of(again, 0);
            if (!retry.key().equals(c.clean().outcome().key())) {
                problems.add("sent again without the fault, it answered " + retry.key() + ": " + retry.body());
            } else {
                problems.addAll(prepared.afterSuccess().apply(world));
            }
            problems.addAll(halfDoneChats(world, world.emulator.requests(), null));
        }
        problems.addAll(world.emulator.contractViolations());
        tally.slowest.merge(scenario.name(), outcome.millis(), Math::max);
        return problems;
    }

    /**
     * A write sent twice in one invocation, where the first may have taken effect: a create after an
     * answer the function could not know (5xx, none, cut, dropped), or any create twice but after a
     * 429 (which Twilio did not carry out). Updates to a resource may be repeated (a timer, a close).
     */
    static List<String> repeatedWrites(List<RecordedRequest> journal) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < journal.size(); i++) {
            RecordedRequest first = journal.get(i);
            if (FaultPosition.isIdempotentWrite(first) || first.status() == 429 && first.fault() != null) {
                continue;
            }
            for (RecordedRequest later : journal.subList(i + 1, journal.size())) {
                if (later.method().equals(first.method()) && later.path().equals(first.path())
                        && later.form().equals(first.form()) && later.body().equals(first.body())) {
                    problems.add("the create " + first + " was sent again (" + later + ")");
                }
            }
        }
        return problems;
    }

    /**
     * Every conversation {@code POST /v2/WebChats} created in this journal: closed, or given its
     * closed timer by the function; else an orphan whose create answer never reached the function
     * (it cannot know the SID), which must have the account's default closed timer.
     */
    static List<String> halfDoneChats(FaultWorld world, List<RecordedRequest> journal, Tally tally) {
        List<String> problems = new ArrayList<>();
        for (RecordedRequest create : journal) {
            if (!create.method().equals("POST") || !create.path().equals("/flex-api/v2/WebChats") || create.status() >= 300) {
                continue;
            }
            String sid = FaultWorld.parse(create.responseBody()).path("conversation_sid").asText();
            Map<String, Object> conversation = world.emulator.conversation(sid).orElse(Map.of());
            if ("closed".equals(conversation.get("state"))) {
                continue;
            }
            boolean ownTimer = journal.stream().anyMatch(r -> r.method().equals("POST") && r.path().endsWith("/Conversations/" + sid)
                    && r.formValue("Timers.Closed") != null && r.status() < 300);
            if (ownTimer) {
                continue;
            }
            Object timers = conversation.get("timers");
            boolean defaultTimer = timers instanceof Map<?, ?> map && map.get("date_closed") != null;
            boolean answerLost = create.fault() != null && Set.of("garbled", "dropped", "no answer").contains(create.fault());
            if (answerLost && defaultTimer) {
                if (tally != null) {
                    tally.orphans.incrementAndGet();
                }
                continue;
            }
            problems.add("the chat " + sid + " was created (" + Objects.toString(create.fault(), "answered") + ") but is "
                    + conversation.get("state") + " with " + (defaultTimer ? "only the account's default closed timer" : "no closed timer"));
        }
        return problems;
    }
}
