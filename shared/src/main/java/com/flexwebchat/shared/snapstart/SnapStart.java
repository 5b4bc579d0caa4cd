package com.flexwebchat.shared.snapstart;

import com.flexwebchat.shared.WebChatRuntime;
import com.flexwebchat.shared.http.HttpApiHandler;
import com.flexwebchat.shared.http.Invocation;
import com.flexwebchat.shared.log.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda SnapStart's runtime hooks for one function
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html).
 * <ul>
 *   <li>Before the snapshot: the function's real handler runs on recorded events ({@code events/}),
 *       with every Twilio request answered from recordings and every store request with a first
 *       visitor's answers, none sent, then makes one real read
 *       at Twilio ({@link Priming}). The classes, TLS and JIT state the first request needs are then
 *       in the snapshot, not loaded while a visitor waits; nothing is created or changed anywhere.</li>
 *   <li>After restore: fresh Twilio and store connections, since the snapshot's sockets are gone,
 *       and fresh AWS credentials.</li>
 * </ul>
 * A handler registers once, naming its events; no service class knows about any of it. Without
 * SnapStart (other JVMs, SnapStart off) the hooks never run, so a plain cold start pays nothing for
 * them. A priming failure is logged and never fails the snapshot.
 */
public final class SnapStart implements Resource {

    /** Lambda's CRaC context holds resources weakly; these strong references keep ours alive. */
    private static final List<SnapStart> REGISTERED = new CopyOnWriteArrayList<>();

    private final HttpApiHandler handler;
    private final WebChatRuntime runtime;
    private final List<String> events;

    private SnapStart(HttpApiHandler handler, WebChatRuntime runtime,
                      List<String> events) {
        this.handler = handler;
        this.runtime = runtime;
        this.events = events;
    }

    /**
     * @param events the {@code events/} files (as {@code sam local invoke} takes them) the handler
     *               runs before the snapshot: one for each route and event type it serves
     */
    public static SnapStart register(HttpApiHandler handler,
                                     WebChatRuntime runtime, String... events) {
        SnapStart hooks = new SnapStart(handler, runtime, List.of(events));
        REGISTERED.add(hooks);
        Core.getGlobalContext().register(hooks);
        return hooks;
    }

    /**
     * Runs every registered function's hooks as SnapStart would around a snapshot, and says what
     * each priming did; the local benchmark uses it in a JVM that holds one function.
     */
    public static List<Priming.Report> simulateSnapshotAndRestore() {
        List<Priming.Report> reports = new ArrayList<>();
        for (SnapStart hooks : REGISTERED) {
            reports.add(hooks.snapshotAndRestore());
        }
        return reports;
    }

    /** The hooks {@code handler} registered, if it did. */
    public static Optional<SnapStart> of(Object handler) {
        return REGISTERED.stream().filter(hooks -> hooks.handler == handler).findFirst();
    }

    /** The {@code events/} files the handler runs before the snapshot, in the order it named them. */
    public List<String> events() {
        return events;
    }

    /** This function's hooks as SnapStart would run them around a snapshot: what the priming did. */
    public Priming.Report snapshotAndRestore() {
        Priming.Report report = prime();
        afterRestore(null);
        return report;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        Invocation.restored();
        runtime.twilio().reconnect();
        if (runtime.store() != null) {
            runtime.store().db().reconnect();
        }
        if (runtime.mailer() != null) {
            runtime.mailer().reconnect();
        }
    }

    private Priming.Report prime() {
        long started = System.nanoTime();
        try {
            Priming.Report report = new Priming(handler, runtime).run(events);
            Log.info("Primed for the SnapStart snapshot", "durationMillis", (System.nanoTime() - started) / 1_000_000,
                    "events", report.statuses().size(), "unanswered", report.unanswered().size(),
                    "realRead", report.realRead(), "storeRead", report.storeRead());
            if (!report.unanswered().isEmpty()) {
                Log.warn("Priming met Twilio requests without a recorded answer", "requests", String.join(", ", report.unanswered()));
            }
            return report;
        } catch (RuntimeException e) {
            Log.warn("Priming failed; the snapshot is taken without it", "exception", e.getClass().getSimpleName());
            return new Priming.Report(java.util.Map.of(), List.of(), false, false, e.getClass().getSimpleName());
        } finally {
            Log.end();
        }
    }
}
