package com.flexwebchat.emulator.http;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The lock over the emulator's in-memory state: every operation runs holding it, so operations are atomic with
 * respect to each other.
 *
 * <p>It is a lock rather than a monitor because one thing must run <em>without</em> it in the middle of an
 * operation: a pre-event webhook. Twilio waits (up to 5 s) for the answer before it publishes the change, and the
 * backend answering the webhook may well call the Twilio API meanwhile (fetch the conversation, list messages, ...).
 * Holding the lock across that call would stall those requests until the webhook times out.
 */
public final class StateLock {

    private final ReentrantLock lock = new ReentrantLock();

    public <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    public void locked(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

    /**
     * Runs {@code action} with the lock released (every hold of the calling thread), then takes it back. State read
     * before may have changed by the time this returns: callers look up what they need again.
     */
    public <T> T unlocked(Supplier<T> action) {
        int holds = lock.getHoldCount();
        for (int i = 0; i < holds; i++) {
            lock.unlock();
        }
        try {
            return action.get();
        } finally {
            for (int i = 0; i < holds; i++) {
                lock.lock();
            }
        }
    }
}
