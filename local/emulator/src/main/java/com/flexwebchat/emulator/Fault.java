package com.flexwebchat.emulator;

import java.time.Duration;

/**
 * What the emulator does to one request instead of answering it plainly, armed with
 * {@link TwilioEmulator#inject}. The ways a call to Twilio goes wrong, from a client's side:
 * <ul>
 *   <li>{@link ErrorAnswer}: Twilio answers an error (a 5xx, 429, 401, 404...) and does nothing;</li>
 *   <li>{@link Slow}: the answer comes, late; the operation is carried out;</li>
 *   <li>{@link Garbled}: the operation is carried out and answered with its status, but the body is
 *       cut short, so it is not JSON (a proxy or a connection that gave out mid-body);</li>
 *   <li>{@link Dropped}: the operation is carried out, then the connection is closed without a byte
 *       of answer;</li>
 *   <li>{@link NoAnswer}: the operation is carried out and no answer ever comes: the connection stays
 *       open until the client gives up, the emulator is {@link TwilioEmulator#reset() reset} or closed,
 *       or {@link #MAX_HOLD} has passed.</li>
 * </ul>
 * The last three are the "unknown outcome" a client cannot tell from Twilio never having seen the
 * request; the emulator always carries the operation out, the harder case for the client (whatever
 * it created exists). The journal records every faulted request with the answer the operation
 * really gave (so the contract check still applies to it) and {@link RecordedRequest#fault()}.
 */
public sealed interface Fault {

    /** How long a request without answer is held at most, so no test can hang on one. */
    Duration MAX_HOLD = Duration.ofSeconds(60);

    /** A short name for reports and journals: {@code 503}, {@code slow 300ms}, {@code garbled}, {@code dropped}, {@code no answer}. */
    String describe();

    /** Twilio's error answer ({@code status}, a Twilio error body with {@code twilioCode}); the operation is not carried out. */
    record ErrorAnswer(int status, int twilioCode) implements Fault {
        public ErrorAnswer {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("an injected error needs an error status (4xx/5xx): " + status);
            }
        }

        @Override
        public String describe() {
            return Integer.toString(status);
        }
    }

    /** The answer held back for {@code delay}; the operation is carried out after it. */
    record Slow(Duration delay) implements Fault {
        public Slow {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("negative delay: " + delay);
            }
        }

        @Override
        public String describe() {
            return "slow " + delay.toMillis() + "ms";
        }
    }

    /** Carried out; answered with its status and the first half of its body (an empty body becomes {@code {"}). */
    record Garbled() implements Fault {
        @Override
        public String describe() {
            return "garbled";
        }
    }

    /** Carried out; the connection closed without an answer. */
    record Dropped() implements Fault {
        @Override
        public String describe() {
            return "dropped";
        }
    }

    /** Carried out; never answered (held until the client leaves, a reset, a close, or {@link #MAX_HOLD}). */
    record NoAnswer() implements Fault {
        @Override
        public String describe() {
            return "no answer";
        }
    }

    static Fault error(int status, int twilioCode) {
        return new ErrorAnswer(status, twilioCode);
    }

    static Fault slow(Duration delay) {
        return new Slow(delay);
    }

    static Fault garbled() {
        return new Garbled();
    }

    static Fault dropped() {
        return new Dropped();
    }

    static Fault noAnswer() {
        return new NoAnswer();
    }
}
