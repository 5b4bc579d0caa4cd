package com.flexwebchat.shared;

import com.flexwebchat.shared.log.Log;
import com.flexwebchat.shared.twilio.Deadline;
import com.flexwebchat.shared.twilio.TwilioGateway;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Lambda SnapStart's runtime hooks for one function
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html).
 * <ul>
 *   <li>Before the snapshot: prime. The function runs the work of a request that creates nothing
 *       (token signing, JSON, one read at Twilio), so the classes, TLS and JIT state a first
 *       request needs are in the snapshot, not loaded while a visitor waits.</li>
 *   <li>After restore: fresh Twilio connections, since the snapshot's sockets are gone.</li>
 * </ul>
 * Without SnapStart (other JVMs, SnapStart off) the hooks never run, so a plain cold start pays
 * nothing for them. A priming failure is logged and never fails the snapshot.
 */
public final class SnapStartHooks implements Resource {

    /** Lambda's CRaC context holds resources weakly; these strong references keep ours alive. */
    private static final List<SnapStartHooks> REGISTERED = new CopyOnWriteArrayList<>();
    private static final Duration PRIMING_BUDGET = Duration.ofSeconds(5);

    private final Runnable priming;
    private final TwilioGateway twilio;

    private SnapStartHooks(Runnable priming, TwilioGateway twilio) {
        this.priming = priming;
        this.twilio = twilio;
    }

    public static SnapStartHooks register(Runnable priming, TwilioGateway twilio) {
        SnapStartHooks hooks = new SnapStartHooks(priming, twilio);
        REGISTERED.add(hooks);
        Core.getGlobalContext().register(hooks);
        return hooks;
    }

    /**
     * Runs every registered function's hooks as SnapStart would around a snapshot; the local
     * benchmark uses it to show what a restored function's first request costs.
     */
    public static void simulateSnapshotAndRestore() {
        for (SnapStartHooks hooks : REGISTERED) {
            hooks.beforeCheckpoint(null);
            hooks.afterRestore(null);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        Deadline.enter(Deadline.after(PRIMING_BUDGET));
        try {
            priming.run();
            Log.info("Primed for the SnapStart snapshot", "durationMillis", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            Log.warn("Priming failed; the snapshot is taken without it", "exception", e.getClass().getSimpleName());
        } finally {
            Deadline.exit();
            Log.end();
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        twilio.reconnect();
    }
}
