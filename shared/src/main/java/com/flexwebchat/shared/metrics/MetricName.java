package com.flexwebchat.shared.metrics;

/**
 * Every metric the functions emit, by the name CloudWatch knows it under, with its unit. The
 * stack's alarms and dashboard name only these (a test checks it), and each route's tests assert
 * the ones it writes. Dimensions: every metric has none (the whole API) and {@code Route};
 * {@link #Requests} also {@code Route} and {@code Outcome}; {@link #ChatsEnded} also {@code EndedBy}.
 */
public enum MetricName {
    /** One per invocation. */
    Requests(Unit.COUNT),
    Latency(Unit.MILLISECONDS),
    /** 1 when the answer was a 5xx, else 0. */
    ServerErrors(Unit.COUNT),
    /** 1 when the answer was a 4xx, else 0. */
    ClientErrors(Unit.COUNT),

    TwilioCalls(Unit.COUNT),
    /** Calls Twilio did not answer, or answered with a 5xx. */
    TwilioErrors(Unit.COUNT),
    /** Calls Twilio answered 429. */
    TwilioThrottled(Unit.COUNT),
    /** One value per call. */
    TwilioLatency(Unit.MILLISECONDS),
    StoreCalls(Unit.COUNT),
    StoreErrors(Unit.COUNT),
    StoreLatency(Unit.MILLISECONDS),
    MailCalls(Unit.COUNT),
    MailErrors(Unit.COUNT),
    MailLatency(Unit.MILLISECONDS),

    /** 1 on an instance's first invocation. */
    ColdStarts(Unit.COUNT),
    /** From the JVM's start to the first invocation, when it was not restored from a SnapStart snapshot. */
    InitDuration(Unit.MILLISECONDS),

    ChatsStarted(Unit.COUNT),
    /** 1 when /initWebchat answered a 5xx: a visitor who wanted a chat has none. */
    ChatStartFailures(Unit.COUNT),
    ChatsEnded(Unit.COUNT),
    TokensRenewed(Unit.COUNT),
    TokensRefused(Unit.COUNT),
    /** A webhook whose signature was missing or wrong. */
    WebhooksRefused(Unit.COUNT),
    MessagesMasked(Unit.COUNT),
    MessagesRejected(Unit.COUNT),
    RequestsLimited(Unit.COUNT),
    RequestsBlocked(Unit.COUNT),
    CaptchaFailures(Unit.COUNT),
    TranscriptsSent(Unit.COUNT),
    TranscriptsRefused(Unit.COUNT);

    /** CloudWatch's units, as EMF writes them. */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds");

        private final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }

        public String cloudWatch() {
            return cloudWatch;
        }
    }

    private final Unit unit;

    MetricName(Unit unit) {
        this.unit = unit;
    }

    public Unit unit() {
        return unit;
    }
}
